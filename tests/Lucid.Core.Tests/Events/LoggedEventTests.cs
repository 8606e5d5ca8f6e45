using System.Text.Json;
using Lucid.Events;
using Lucid.Json;

namespace Lucid.Core.Tests.Events;

public sealed class LoggedEventTests
{
    private static UserMessageEvent Message() =>
        new() { Id = "sevt_1", ProcessedAt = DateTimeOffset.UnixEpoch, Content = [new TextBlock("hello")] };

    [Fact]
    public void Json_is_the_events_stored_and_wire_json_made_once()
    {
        var logged = new LoggedEvent("sesn_1", 1, Message());

        var json = logged.Json;

        Assert.Equal(JsonSerializer.Serialize(logged.Event, LucidJsonContext.Default.SessionEvent), json);
        Assert.Same(json, logged.Json);
    }

    [Fact]
    public void Equality_does_not_depend_on_whether_the_json_was_made()
    {
        var e = Message();
        var serialized = new LoggedEvent("sesn_1", 1, e);
        var fresh = new LoggedEvent("sesn_1", 1, e);

        _ = serialized.Json;

        Assert.Equal(serialized, fresh);
        Assert.Equal(serialized.GetHashCode(), fresh.GetHashCode());
        Assert.NotEqual(serialized, fresh with { Sequence = 2 });
    }

    [Fact]
    public void A_copy_with_another_event_has_that_events_json()
    {
        var logged = new LoggedEvent("sesn_1", 1, Message());
        _ = logged.Json;

        var copy = logged with { Event = new SessionStatusIdleEvent { Id = "sevt_2", ProcessedAt = DateTimeOffset.UnixEpoch, StopReason = StopReason.EndTurn } };

        Assert.Equal(JsonSerializer.Serialize(copy.Event, LucidJsonContext.Default.SessionEvent), copy.Json);
    }
}
