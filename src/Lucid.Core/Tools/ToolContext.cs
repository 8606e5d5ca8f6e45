namespace Lucid.Tools;

/// <summary>What a built-in tool call may use: the directory it is confined to, its limits and the clock.</summary>
internal sealed class ToolContext
{
    /// <summary>The session's work directory.</summary>
    public required WorkDirectory Directory { get; init; }

    /// <summary>Time and output limits.</summary>
    public ToolLimits Limits { get; init; } = new();

    /// <summary>How the commands of <c>bash</c> and of outcome checks run: in the session's sandbox by default.</summary>
    public Sandboxing.SandboxOptions Sandbox { get; init; } = new();

    /// <summary>Where the sandbox's egress proxy logs the connections it refuses.</summary>
    public Microsoft.Extensions.Logging.ILogger SandboxLog { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The memory stores mounted under <c>/mnt/memory</c>, or null when none are.</summary>
    public Memory.MemoryMounts? Memory { get; init; }

    /// <summary><c>web_fetch</c>'s domain rules, content limit and URL sources, or null when the agent sets none.</summary>
    public WebFetchRules? WebFetch { get; set; }

    /// <summary>What the thread tools act through, when the agent may spawn threads.</summary>
    internal Threads.ThreadControl? Threads { get; init; }

    /// <summary>The advisor the <c>advisor</c> tool consults, on the primary thread of an agent that has one.</summary>
    internal Threads.Advisor? Advisor { get; init; }
}
