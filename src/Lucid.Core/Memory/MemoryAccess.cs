using System.Text.Json.Serialization;

namespace Lucid.Memory;

/// <summary>How a session may use a mounted store.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MemoryAccess>))]
public enum MemoryAccess
{
    /// <summary>Read and write (the default).</summary>
    [JsonStringEnumMemberName("read_write")]
    ReadWrite,

    /// <summary>Read only: writes are refused with a tool error.</summary>
    [JsonStringEnumMemberName("read_only")]
    ReadOnly,
}
