using System.Text.Json.Serialization;

namespace Lucid.Dreams;

/// <summary>What a curation operation does to the output store. Its names are in <see cref="DreamNames"/>.</summary>
[JsonConverter(typeof(DreamNames.OperationKindConverter))]
public enum DreamOperationKind
{
    /// <summary>A new lesson at a free path.</summary>
    Add,

    /// <summary>The lesson at a path rewritten.</summary>
    Update,

    /// <summary>Memories combined into one lesson.</summary>
    Merge,

    /// <summary>A memory deleted; it stays in the store's history.</summary>
    Retire,

    /// <summary>
    /// A skill proposed from a workflow that succeeded repeatedly (dreams with review only); it is created through the
    /// Skills API when a reviewer accepts it, and writes nothing to the memory store.
    /// </summary>
    AddSkill,
}
