using System.Globalization;
using System.Text.Json;
using Lucid.Sandboxing;

namespace Lucid.Tools;

/// <summary>
/// Runs a command with <c>bash -c</c> in the session's sandbox (see <see cref="SandboxedCommand"/>), whose current
/// directory is the session's directory mounted at <c>/workspace</c>, with a time limit after which every process of the
/// sandbox is killed. Each call is a fresh shell in a fresh sandbox: nothing started by one call outlives it.
/// </summary>
internal sealed class BashTool : BuiltInTool
{
    private static readonly JsonElement Schema = ToolInput.Schema("""
        {"type":"object","properties":{
          "command":{"type":"string","description":"The command to run with bash -c, in the session's directory."},
          "timeout_ms":{"type":"integer","description":"How long the command may run, in milliseconds (default 120000, at most 600000)."},
          "restart":{"type":"boolean","description":"Accepted for compatibility; every call runs in a fresh shell."}},
         "required":["command"],"additionalProperties":false}
        """);

    public override string Name => "bash";

    public override string Description =>
        "Run a shell command with bash and return its combined output and exit code. It starts in the session's directory, "
        + "which is /workspace in the sandbox (the file tools accept /workspace/... paths too); /tmp and HOME (/tmp) are "
        + "private to each call, there is no network unless the server allows it, and processes do not outlive the call. "
        + "Each call starts a fresh shell; commands over their time limit are killed.";

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

        var prepared = SandboxedCommand.Prepare(context.Sandbox, context.Directory.Root, command, Name, context.SandboxLog);
        if (!prepared.IsSuccess)
        {
            return ToolResult.Fail(prepared.Error.Message);
        }

        await using var start = prepared.Value;

        var timeout = timeoutMs is { } ms ? TimeSpan.FromMilliseconds(Math.Clamp(ms, 1, (long)context.Limits.MaxTimeout.TotalMilliseconds)) : context.Limits.DefaultTimeout;
        var run = await ShellCommand.RunAsync(start.Start, timeout, context.Limits.MaxOutputChars, context.TimeProvider, cancellationToken);
        return run.TimedOut
            ? ToolResult.Fail(ToolOutput.Limit(
                string.Create(CultureInfo.InvariantCulture, $"{run.Output}[killed: the command ran over its time limit of {timeout.TotalMilliseconds:0} ms]"),
                context.Limits.MaxOutputChars))
            : ToolResult.Ok(ToolOutput.Limit($"{run.Output}[exit code: {run.ExitCode.ToString(CultureInfo.InvariantCulture)}]", context.Limits.MaxOutputChars));
    }
}
