namespace Lucid.Agents;

/// <summary>
/// A Lucid extension: an MCP server that Lucid starts as a process speaking MCP on its standard input and output, inside
/// the session's sandbox.
/// </summary>
public sealed record McpStdioServer : McpServer
{
    /// <summary>The wire type name.</summary>
    public const string TypeName = "stdio";

    /// <summary>The program to run, found on the sandbox's <c>PATH</c> or given as a path.</summary>
    public required string Command { get; init; }

    /// <summary>Its arguments.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Variables added to the sandbox's environment for this process.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
}
