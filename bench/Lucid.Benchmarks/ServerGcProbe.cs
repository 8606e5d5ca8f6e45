using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Lucid.Benchmarks;

/// <summary>
/// The server's own count of the bytes it has allocated, of its garbage collections and of the exceptions it threw, read through a Unix socket that
/// <see cref="StartupHook"/> opens inside the server (this assembly is loaded there by <c>DOTNET_STARTUP_HOOKS</c>).
/// Unlike CPU time, the bytes a round allocates do not depend on what else the machine is doing, so they show a cut in
/// the work per session that the spread of CPU times on a loaded machine hides.
/// </summary>
internal sealed class ServerGcProbe(string socketPath)
{
    /// <summary>The variable that tells the hook where to listen.</summary>
    public const string SocketVariable = "LUCID_BENCH_GC_PROBE";

    /// <summary>Where the probe listens.</summary>
    public string SocketPath { get; } = socketPath;

    /// <summary>Reads the server's counters as of now.</summary>
    public async Task<GcCounters> ReadAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var line = await reader.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("The GC probe closed without an answer.");
        return GcCounters.Parse(line);
    }
}

/// <summary>
/// A process's allocated bytes (all threads), its collections of each generation (a generation's count includes the
/// collections of the older ones) and their total pause, and the exceptions it has thrown (first chance, caught or not).
/// </summary>
internal readonly record struct GcCounters(long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Paused, long Exceptions)
{
    public static GcCounters Now(long exceptions) => new(
        GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), exceptions);

    public static GcCounters Parse(string line)
    {
        var parts = line.Split(' ').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new(parts[0], (int)parts[1], (int)parts[2], (int)parts[3], TimeSpan.FromTicks(parts[4]), parts[5]);
    }

    public static GcCounters operator -(GcCounters after, GcCounters before) => new(
        after.Allocated - before.Allocated, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Paused - before.Paused, after.Exceptions - before.Exceptions);

    public static GcCounters operator +(GcCounters a, GcCounters b) => new(
        a.Allocated + b.Allocated, a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2, a.Paused + b.Paused, a.Exceptions + b.Exceptions);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Allocated} {Gen0} {Gen1} {Gen2} {Paused.Ticks} {Exceptions}");
}
