namespace Lucid.Evals;

/// <summary>Where an arm's memory comes from; named on the wire by <see cref="EvalNames"/>.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(EvalNames.ArmKindConverter))]
public enum EvalArmKind
{
    /// <summary>No memory store.</summary>
    None,

    /// <summary>A memory store as it is when the run starts.</summary>
    MemoryStore,

    /// <summary>A memory store as it was just after one of its versions was written, copied into a new store.</summary>
    MemoryVersion,

    /// <summary>A dream's output store; for a dream created with review, once its review is finished (only accepted changes).</summary>
    Dream,

    /// <summary>A dream created with review, before review: its input store with every proposed change, copied into a new store.</summary>
    DreamProposed,
}
