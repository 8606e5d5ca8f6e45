using System.Text.Json;

namespace Lucid.Tools;

/// <summary>A tool Lucid executes itself, inside the session's work directory.</summary>
internal abstract class BuiltInTool
{
    /// <summary>The tool's name as the model sees it, such as <c>bash</c>.</summary>
    public abstract string Name { get; }

    /// <summary>What the tool does, for the model.</summary>
    public abstract string Description { get; }

    /// <summary>The JSON schema of the tool's input object.</summary>
    public abstract JsonElement InputSchema { get; }

    /// <summary>
    /// Runs the tool. Expected failures (bad input, a path outside the session's directory, a timeout) come back as an error
    /// result the agent can read, never as an exception; cancellation is the only exception callers see.
    /// </summary>
    public async Task<ToolResult> InvokeAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (input.ValueKind != JsonValueKind.Object)
        {
            return ToolResult.Fail($"The input of {Name} must be a JSON object.");
        }

        try
        {
            return await InvokeCoreAsync(input, context, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or ArgumentException or InvalidOperationException)
        {
            return ToolResult.Fail($"{Name} failed: {ex.Message}");
        }
    }

    /// <summary>Runs the tool on a JSON object input.</summary>
    protected abstract Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken);
}
