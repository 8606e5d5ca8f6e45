using System.Text.Json.Serialization;

namespace Lucid.Dreams;

/// <summary>Where a dream is in its lifecycle: <c>pending → running → completed | failed | canceled</c>; the last three are final.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DreamStatus>))]
public enum DreamStatus
{
    /// <summary>Waiting to start; it has read nothing, written nothing and used no tokens.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Reading its inputs and writing its result.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Finished: the output store holds the complete result.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>Stopped with an error; the output store keeps what was written before.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Stopped by a cancel request; the output store keeps what was written before.</summary>
    [JsonStringEnumMemberName("canceled")]
    Canceled,
}
