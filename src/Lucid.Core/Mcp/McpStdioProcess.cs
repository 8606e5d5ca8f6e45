using System.ComponentModel;
using System.Diagnostics;
using Lucid.Agents;
using Lucid.Results;
using Lucid.Sandboxing;
using Microsoft.Extensions.Logging;

namespace Lucid.Mcp;

/// <summary>
/// A stdio MCP server running in the session's sandbox: the same bubblewrap confinement, limits, environment allowlist and
/// network as a <c>bash</c> command, with the server's own <c>env</c> added. It lives as long as the session's
/// connection to it; disposing it kills the sandbox and everything in it.
/// </summary>
internal sealed class McpStdioProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly SandboxedProcess _sandbox;

    private McpStdioProcess(Process process, SandboxedProcess sandbox)
    {
        _process = process;
        _sandbox = sandbox;
    }

    /// <summary>The process's standard streams as an endpoint.</summary>
    public McpStreamEndpoint Endpoint(string serverName) =>
        new(serverName, _process.StandardInput.BaseStream, _process.StandardOutput.BaseStream);

    /// <summary>Starts the server, or says why it cannot run here (no sandbox, failed packages, no such program).</summary>
    public static async Task<Result<McpStdioProcess>> StartAsync(McpStdioServer server, SandboxOptions sandbox, string workDirectory, ILogger log)
    {
        var exports = string.Concat(server.Env.Select(v => $"export {v.Key}={ShellQuoting.Quote(v.Value)}; "));
        var command = $"{exports}exec {string.Join(' ', new[] { server.Command }.Concat(server.Args).Select(ShellQuoting.Quote))}";
        var prepared = SandboxedCommand.Prepare(sandbox, workDirectory, command, $"The stdio MCP server '{server.Name}'", log);
        if (!prepared.IsSuccess)
        {
            return prepared.Error;
        }

        var start = prepared.Value.Start;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };

        // What the server writes to stderr is its log: the operator's, never the agent's.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                McpLog.ServerStderr(log, server.Name, line);
            }
        };
        try
        {
            await ProcessLauncher.StartAsync(process);
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            await prepared.Value.DisposeAsync();
            return LucidError.Invalid("command", $"The stdio MCP server '{server.Name}' could not be started: {ex.Message}");
        }

        process.BeginErrorReadLine();
        return new McpStdioProcess(process, prepared.Value);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }

        _process.Dispose();
        await _sandbox.DisposeAsync();
    }
}
