using System.Text.Json.Serialization;
using Lucid.Sessions;

namespace Lucid.Events;

/// <summary>
/// An update changed the session's title, metadata or budget (<c>session.updated</c>). It carries only the fields that
/// changed, each with its new value; the store applies them to the session's row in the transaction that commits the
/// event (<see cref="SessionProjection"/>), so the row is always what the log says.
/// </summary>
public sealed record SessionUpdatedEvent : SessionEvent
{
    /// <summary>The new title, when it changed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Changed<string?> Title { get; init; }

    /// <summary>The full metadata after the update, when it changed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Changed<IReadOnlyDictionary<string, string>> Metadata { get; init; }

    /// <summary>The budget after the update (null when it was removed), when it changed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Changed<SessionBudget?> Budget { get; init; }

    /// <summary>Whether the update changed anything.</summary>
    [JsonIgnore]
    public bool ChangesAnything => Title.IsChanged || Metadata.IsChanged || Budget.IsChanged;
}
