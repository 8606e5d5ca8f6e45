using System.Text.Json.Serialization;

namespace Lucid.Dreams.Review;

/// <summary>
/// Where the review of a dream created with review required is: <c>proposing → pending → applying → finished</c>. While
/// it is not finished the dream's status stays <c>running</c>. Its names are in <see cref="DreamNames"/>.
/// </summary>
[JsonConverter(typeof(DreamNames.ReviewStateConverter))]
public enum DreamReviewState
{
    /// <summary>The stages before curation are still running; no change is proposed yet.</summary>
    Proposing,

    /// <summary>The proposed changes wait for decisions and for the review to be finished.</summary>
    Pending,

    /// <summary>Finishing: the accepted changes are being written. A failed write returns the review to pending.</summary>
    Applying,

    /// <summary>The accepted changes and the report are in the output store.</summary>
    Finished,
}
