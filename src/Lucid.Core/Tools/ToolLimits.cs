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

    /// <summary>
    /// The largest file <c>read</c> opens; a larger one is refused before anything of it is read. Within the limit,
    /// <c>read</c> reads lines only until its output is full. Defaults to 10 MiB.
    /// </summary>
    public long MaxReadFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>
    /// The largest file <c>edit</c> loads, and the largest file an edit may leave; larger ones are refused and the file
    /// stays as it was. Defaults to 10 MiB.
    /// </summary>
    public long MaxEditFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>The most bytes (UTF-8) of content <c>write</c> accepts; more is refused and nothing is written. Defaults to 10 MiB.</summary>
    public long MaxWriteBytes { get; init; } = 10 * 1024 * 1024;
}
