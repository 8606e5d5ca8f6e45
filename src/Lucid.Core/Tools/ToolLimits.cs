namespace Lucid.Tools;

/// <summary>Per-call limits of the built-in tools.</summary>
public sealed record ToolLimits
{
    /// <summary>The time a call may take when it asks for no limit of its own. Defaults to 2 minutes.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The most time a call may ask for. Defaults to 10 minutes.</summary>
    public TimeSpan MaxTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The most characters of output returned to the agent; the rest is cut with a note. Defaults to 30,000.</summary>
    public int MaxOutputChars { get; init; } = 30_000;
}
