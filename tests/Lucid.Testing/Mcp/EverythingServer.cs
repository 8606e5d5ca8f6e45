using System.Diagnostics;

namespace Lucid.Testing.Mcp;

/// <summary>
/// The reference MCP server <c>@modelcontextprotocol/server-everything</c>, run with node on a free loopback port. The
/// repository's <c>.ci/run</c> installs it (pinned) under <c>tests/.mcp-servers</c>, where this looks for it.
/// </summary>
public sealed class EverythingServer : IAsyncDisposable
{
    private readonly Process _process;

    private EverythingServer(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>The endpoint: <c>/mcp</c> for streamable HTTP, <c>/sse</c> for the legacy SSE transport.</summary>
    public string Url { get; }

    /// <summary>Starts the server with <paramref name="transport"/> (<c>streamableHttp</c> or <c>sse</c>) and waits until it listens.</summary>
    public static async Task<EverythingServer> StartAsync(string transport)
    {
        var entry = Path.Combine(RepositoryRoot(), "tests", ".mcp-servers", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
        if (!File.Exists(entry))
        {
            throw new InvalidOperationException($"The reference MCP server is not installed at {entry}; run .ci/run (or its npm install line) first.");
        }

        var port = Server.FreePorts.Next();
        var start = new ProcessStartInfo("node") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(entry);
        start.ArgumentList.Add(transport);
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();

        // It says so on stderr once it listens ("… listening on port N" or "… running on port N").
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Contains($"on port {port}", StringComparison.Ordinal))
            {
                // The rest of its log is drained, so that it never blocks on a full pipe.
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new EverythingServer(process, $"http://127.0.0.1:{port}/{(transport == "sse" ? "sse" : "mcp")}");
            }
        }

        throw new InvalidOperationException("The reference MCP server exited before it listened.");
    }

    /// <summary>The repository's root (the folder with Lucid.slnx), found from the test binaries upwards.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Lucid.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Lucid.slnx) is not above the tests' directory.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
