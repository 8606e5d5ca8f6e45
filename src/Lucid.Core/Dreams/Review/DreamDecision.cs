using System.Text.Json.Serialization;

namespace Lucid.Dreams.Review;

/// <summary>A reviewer's decision on one proposed change. Its names are in <see cref="DreamNames"/>.</summary>
[JsonConverter(typeof(DreamNames.DecisionConverter))]
public enum DreamDecision
{
    /// <summary>Not decided yet.</summary>
    Pending,

    /// <summary>To be written when the review is finished.</summary>
    Accepted,

    /// <summary>Never written; the report lists it as rejected.</summary>
    Rejected,
}
