namespace Lucid.Dreams;

/// <summary>The stages of a dream, in order.</summary>
public enum DreamStage
{
    /// <summary>Preparing the session and the output store.</summary>
    Start,

    /// <summary>Each session reduced to what matters (no model).</summary>
    Digest,

    /// <summary>Patterns across sessions, with counts (no model).</summary>
    Mine,

    /// <summary>Candidate lessons from the model, each citing events.</summary>
    Reflect,

    /// <summary>Edit operations from the model, checked by code.</summary>
    Curate,

    /// <summary>The edits and the report written to the output store.</summary>
    Apply,
}

/// <summary>A step of a running dream, for progress displays.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Message">What happened.</param>
public sealed record DreamProgress(DreamStage Stage, string Message);
