using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lucid.Tools;

/// <summary>
/// Runs a command with <c>/bin/bash -c</c> in the workspace directory, with a time limit after which the whole process
/// tree is killed. Each call is a fresh shell. The working directory is the only confinement: bash is not a sandbox.
/// </summary>
internal sealed class BashTool : BuiltInTool
{
    private static readonly JsonElement Schema = ToolInput.Schema("""
        {"type":"object","properties":{
          "command":{"type":"string","description":"The command to run with bash -c, in the workspace directory."},
          "timeout_ms":{"type":"integer","description":"How long the command may run, in milliseconds (default 120000, at most 600000)."},
          "restart":{"type":"boolean","description":"Accepted for compatibility; every call runs in a fresh shell."}},
         "required":["command"],"additionalProperties":false}
        """);

    public override string Name => "bash";

    public override string Description =>
        "Run a shell command with bash in the workspace directory and return its combined output and exit code. Each call starts a fresh shell; commands over their time limit are killed.";

    public override JsonElement InputSchema => Schema;

    protected override async Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var fields = new ToolInput(Name, input);
        var command = fields.String("command", required: true, out var error);
        var timeoutMs = fields.Number("timeout_ms", out var timeoutError);
        if (command is null || error is not null || timeoutError is not null)
        {
            return error ?? timeoutError ?? ToolResult.Fail("bash: the input field 'command' is required.");
        }

        var timeout = timeoutMs is { } ms ? TimeSpan.FromMilliseconds(Math.Clamp(ms, 1, (long)context.Limits.MaxTimeout.TotalMilliseconds)) : context.Limits.DefaultTimeout;
        var start = new ProcessStartInfo("/bin/bash")
        {
            WorkingDirectory = context.Workspace.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);

        using var process = new Process { StartInfo = start };
        var output = new OutputCollector(context.Limits.MaxOutputChars);
        void Append(string? line)
        {
            if (line is not null)
            {
                output.Add(line);
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout, context.TimeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(either.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            var partial = output.ToString();
            return ToolResult.Fail(ToolOutput.Limit(
                string.Create(CultureInfo.InvariantCulture, $"{partial}[killed: the command ran over its time limit of {timeout.TotalMilliseconds:0} ms]"),
                context.Limits.MaxOutputChars));
        }

        // WaitForExitAsync returns once the process exits and its redirected streams are drained.
        var text = output.ToString();
        return ToolResult.Ok(ToolOutput.Limit($"{text}[exit code: {process.ExitCode.ToString(CultureInfo.InvariantCulture)}]", context.Limits.MaxOutputChars));
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own in the meantime.
        }
    }

    /// <summary>Keeps the first and the last lines of a command's output, each up to the limit, and counts what falls between.</summary>
    private sealed class OutputCollector(int limit)
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _head = new();
        private readonly Queue<string> _tail = new();
        private int _tailLength;
        private long _dropped;

        public void Add(string line)
        {
            lock (_lock)
            {
                if (_head.Length < limit)
                {
                    _head.Append(line).Append('\n');
                    return;
                }

                _tail.Enqueue(line);
                _tailLength += line.Length + 1;
                while (_tailLength > limit && _tail.Count > 1)
                {
                    var dropped = _tail.Dequeue();
                    _tailLength -= dropped.Length + 1;
                    _dropped += dropped.Length + 1;
                }
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                var text = new StringBuilder(_head.ToString());
                if (_dropped > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"… [{_dropped:N0} characters not kept] …\n");
                }

                foreach (var line in _tail)
                {
                    text.Append(line).Append('\n');
                }

                return text.ToString();
            }
        }
    }
}
