namespace Lucid.Dreams;

/// <summary>The stages of a dream, in order. Their names are in <see cref="DreamNames"/>.</summary>
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

    /// <summary>Opt-in: each lesson replayed on tasks with and without it, and dropped unless it lifts their pass rate.</summary>
    Validate,

    /// <summary>The edits and the report written to the output store.</summary>
    Apply,
}
