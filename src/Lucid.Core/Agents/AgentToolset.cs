namespace Lucid.Agents;

/// <summary>The built-in toolset (<c>bash</c>, <c>read</c>, <c>write</c>, <c>edit</c>, <c>glob</c>, <c>grep</c>) with per-tool overrides.</summary>
public sealed record AgentToolset : Toolset
{
    /// <summary>The wire type name.</summary>
    public const string TypeName = "agent_toolset_20260401";
}

/// <summary>Defaults for every tool in a toolset.</summary>
public sealed record ToolsetDefaultConfig
{
    /// <summary>Whether the tools are enabled. Defaults to true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The permission policy. Defaults to <see cref="PermissionPolicy.AlwaysAllow"/>.</summary>
    public PermissionPolicy PermissionPolicy { get; init; } = PermissionPolicy.AlwaysAllow;
}

/// <summary>An override for one tool of a toolset.</summary>
public sealed record ToolConfig
{
    /// <summary>The tool's name, such as <c>bash</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Overrides the default enabled flag when set.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Overrides the default permission policy when set.</summary>
    public PermissionPolicy? PermissionPolicy { get; init; }

    /// <summary><c>web_fetch</c>'s domain rules, content limit and URL sources; null for any other tool, or when none are set.</summary>
    public WebFetchConfig? WebFetch { get; init; }
}
