using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Lucid.Mcp;

/// <summary>
/// The names MCP tools are offered to the model under: <c>mcp__{server}__{tool}</c>. Built-in tools and thread tools
/// never start with <c>mcp__</c>, and an agent with MCP servers may not give a custom tool that prefix, so these never
/// collide with them. Two servers' tools never share a name either: the plain form is used only when the server's name
/// has no <c>__</c> and does not start or end with <c>_</c>, so the first <c>__</c> after the prefix always ends it. Any
/// other name, and one that would break the providers' rules (letters, digits, <c>_</c>, <c>-</c>; at most 64
/// characters), is shortened and made unique with a hash of the server and tool names.
/// </summary>
public static partial class McpToolNames
{
    /// <summary>The prefix of every MCP tool's name; a custom tool of an agent with MCP servers may not take it.</summary>
    public const string Prefix = "mcp__";

    private const int MaxLength = 64;

    /// <summary>The model-facing name of <paramref name="tool"/> on <paramref name="server"/>; the same for the same pair, always.</summary>
    public static string For(string server, string tool)
    {
        var name = $"{Prefix}{server}__{tool}";
        if (name.Length <= MaxLength && Allowed().IsMatch(name) && UnambiguousServer().IsMatch(server))
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{server}\n{tool}")))[..8];
        var readable = $"{Prefix}{Clean(server, 16)}__{Clean(tool, MaxLength - Prefix.Length - 16 - 2 - 9)}";
        return $"{readable}_{hash}";
    }

    private static string Clean(string part, int max)
    {
        var cleaned = Disallowed().Replace(part, "_");
        return cleaned.Length <= max ? cleaned : cleaned[..max];
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Allowed();

    [GeneratedRegex("^[A-Za-z0-9-]+(_[A-Za-z0-9-]+)*$")]
    private static partial Regex UnambiguousServer();

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex Disallowed();
}
