using System.Text.Json.Serialization;

namespace Lucid.Dreams;

/// <summary>Which memory store a dream writes its result to. Its names are in <see cref="DreamNames"/>.</summary>
[JsonConverter(typeof(DreamNames.OutputBehaviorConverter))]
public enum DreamOutputBehavior
{
    /// <summary>A new store that starts as a copy of the input store; the input store is not changed (the default).</summary>
    CreateNew,

    /// <summary>The input store itself; only one such dream may hold a store at a time.</summary>
    UpdateExisting,
}
