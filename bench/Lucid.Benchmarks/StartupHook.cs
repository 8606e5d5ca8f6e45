using System.Net.Sockets;
using System.Text;
using Lucid.Benchmarks;

/// <summary>
/// Runs inside the server when the benchmark starts it with <c>DOTNET_STARTUP_HOOKS</c> naming this assembly: answers
/// every connection to the socket in <see cref="ServerGcProbe.SocketVariable"/> with the process's <see cref="GcCounters"/>,
/// on one background thread that sleeps in <c>accept</c> between readings. It touches nothing of Lucid, so it serves any
/// build of it (<c>--lucid PATH</c>).
/// </summary>
#pragma warning disable CA1050 // The runtime looks for a type of this name outside any namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    private static long s_exceptions;

    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(ServerGcProbe.SocketVariable) is not { Length: > 0 } path)
        {
            return;
        }

        AppDomain.CurrentDomain.FirstChanceException += (_, _) => Interlocked.Increment(ref s_exceptions);
        // `lucid keys create`, run before the server with the same environment, leaves its socket file behind.
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        new Thread(() =>
        {
            while (true)
            {
                using var connection = listener.Accept();
                connection.Send(Encoding.ASCII.GetBytes(GcCounters.Now(Interlocked.Read(ref s_exceptions)) + "\n"));
            }
        })
        { IsBackground = true, Name = "Bench GC probe" }.Start();
    }
}
