using System.Net;
using System.Net.Sockets;

namespace Lucid.Testing.Server;

/// <summary>Loopback ports for servers a test starts as child processes.</summary>
public static class FreePorts
{
    /// <summary>A loopback port free now (the system picks it; another process may still take it before the test does).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
