using System.Text.Json.Serialization;

namespace Lucid.Dreams;

/// <summary>
/// Where a dream is in its lifecycle: <c>pending → running → completed | failed | canceled</c>; the last three are final.
/// Its names are in <see cref="DreamNames"/>.
/// </summary>
[JsonConverter(typeof(DreamNames.StatusConverter))]
public enum DreamStatus
{
    /// <summary>Waiting to start; it has read nothing, written nothing and used no tokens.</summary>
    Pending,

    /// <summary>Reading its inputs and writing its result.</summary>
    Running,

    /// <summary>Finished: the output store holds the complete result.</summary>
    Completed,

    /// <summary>Stopped with an error; the output store keeps what was written before.</summary>
    Failed,

    /// <summary>Stopped by a cancel request; the output store keeps what was written before.</summary>
    Canceled,
}
