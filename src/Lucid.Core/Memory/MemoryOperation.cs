using System.Text.Json.Serialization;

namespace Lucid.Memory;

/// <summary>The kind of change a memory version records.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MemoryOperation>))]
public enum MemoryOperation
{
    /// <summary>The memory was created.</summary>
    [JsonStringEnumMemberName("created")]
    Created,

    /// <summary>Its content, its path, or both changed.</summary>
    [JsonStringEnumMemberName("modified")]
    Modified,

    /// <summary>It was deleted.</summary>
    [JsonStringEnumMemberName("deleted")]
    Deleted,
}
