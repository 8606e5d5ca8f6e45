namespace Lucid.Sessions;

/// <summary>When and how a session's context is compacted before it outgrows the model's window.</summary>
public sealed record CompactionOptions
{
    /// <summary>
    /// The share of the usable window (the context window less the tokens reserved for the reply) at which the context
    /// is compacted before the next request. Defaults to 0.8.
    /// </summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>The share of the usable window kept verbatim, the most recent messages. Defaults to 0.25.</summary>
    public double KeepRecent { get; init; } = 0.25;

    /// <summary>The most tokens a summary may take (and never more than an eighth of the usable window). Defaults to 2,048.</summary>
    public int SummaryTokens { get; init; } = 2048;

    /// <summary>How much of one tool result the summarizing model reads (the log keeps it whole). Defaults to 4,000 characters.</summary>
    public int ResultCharsInTranscript { get; init; } = 4000;
}
