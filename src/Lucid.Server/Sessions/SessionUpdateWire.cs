using Lucid.Server.Http;
using Lucid.Sessions;

namespace Lucid.Server.Sessions;

/// <summary>The body of <c>POST /v1/sessions/{id}</c>: what it makes of a session's title, metadata and budget.</summary>
internal static class SessionUpdateWire
{
    /// <summary>Reads the body, refusing a bad field; the change it answers applies the body to the session as it is then.</summary>
    public static Func<Session, SessionChanges> Read(WireObject body)
    {
        foreach (var unsupported in new[] { "agent", "vault_ids" })
        {
            if (body.TryGet(unsupported, out _))
            {
                throw RequestException.Invalid(unsupported, $"Updating {unsupported} is not supported by this Lucid version.");
            }
        }

        var hasTitle = body.Has("title");
        var title = hasTitle ? body.String("title", 1024) : null;
        var metadata = body.StringMapPatch("metadata");
        // A budget object replaces the budget, null removes it, and leaving it out keeps it.
        var hasBudget = body.Has("budget");
        var budget = hasBudget && !body.IsNull("budget") ? Wire.ReadBudget(body.RequiredObject("budget")) : null;
        return current => new SessionChanges(hasTitle ? title : current.Title, Wire.Patch(current.Metadata, metadata), hasBudget ? budget : current.Budget);
    }
}
