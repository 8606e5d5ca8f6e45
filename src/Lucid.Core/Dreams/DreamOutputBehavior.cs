using System.Text.Json.Serialization;

namespace Lucid.Dreams;

/// <summary>Which memory store a dream writes its result to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DreamOutputBehavior>))]
public enum DreamOutputBehavior
{
    /// <summary>A new store that starts as a copy of the input store; the input store is not changed (the default).</summary>
    [JsonStringEnumMemberName("create_new")]
    CreateNew,

    /// <summary>The input store itself; only one such dream may hold a store at a time.</summary>
    [JsonStringEnumMemberName("update_existing")]
    UpdateExisting,
}
