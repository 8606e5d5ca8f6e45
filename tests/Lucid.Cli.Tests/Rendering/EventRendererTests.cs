using Lucid.Cli.Rendering;
using Lucid.Events;
using Lucid.Sessions;
using Spectre.Console;

namespace Lucid.Cli.Tests.Rendering;

public sealed class EventRendererTests
{
    private readonly StringWriter _output = new();
    private long _sequence;

    private EventRenderer Renderer(bool showStatus = false)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_output),
        });
        console.Profile.Width = 200;
        return new EventRenderer(console, showStatus);
    }

    private LoggedEvent Logged(SessionEvent e) => new("sesn_r", ++_sequence, e);

    private static AgentMessageEvent Message(string id, string text) => new() { Id = id, Content = [new TextBlock(text)] };

    private static SpanModelRequestEndEvent End(bool isError) =>
        new() { ModelRequestStartId = "sevt_s", ModelUsage = SessionUsage.Zero with { InputTokens = 3, OutputTokens = 2 }, IsError = isError };

    private static void Preview(EventRenderer renderer, string id, params string[] fragments)
    {
        renderer.Render(new EventPreviewStart(id, "agent.message"));
        foreach (var fragment in fragments)
        {
            renderer.Render(new EventPreviewDelta(id, 0, fragment));
        }
    }

    [Fact]
    public void A_previewed_message_is_written_as_it_arrives_and_its_committed_event_only_ends_the_line()
    {
        var renderer = Renderer();
        Preview(renderer, "sevt_m", "The quick ", "brown ");
        Assert.Equal("agent The quick brown ", _output.ToString());

        renderer.Render(new EventPreviewDelta("sevt_m", 0, "fox."));
        renderer.Render(Logged(End(isError: false)));
        renderer.Render(Logged(Message("sevt_m", "The quick brown fox.")));

        Assert.Equal("agent The quick brown fox.\n", _output.ToString());
    }

    [Fact]
    public void A_preview_that_ended_early_is_completed_from_the_committed_message()
    {
        var renderer = Renderer();
        Preview(renderer, "sevt_m", "The quick ");
        renderer.Render(Logged(Message("sevt_m", "The quick brown fox.")));

        Assert.Equal("agent The quick brown fox.\n", _output.ToString());
    }

    [Fact]
    public void A_request_that_fails_mid_message_ends_the_line_before_its_error()
    {
        var renderer = Renderer();
        Preview(renderer, "sevt_m", "The qu");
        renderer.Render(Logged(End(isError: true)));
        renderer.Render(Logged(new SessionErrorEvent { Error = new SessionError("model_overloaded_error", "Overloaded.", RetryStatus.Terminal) }));

        Assert.Equal("agent The qu\nerror model_overloaded_error Overloaded.\n", _output.ToString());
    }

    [Fact]
    public void With_status_lines_the_requests_end_is_shown_after_the_message_it_produced()
    {
        var renderer = Renderer(showStatus: true);
        Preview(renderer, "sevt_m", "Done.");
        renderer.Render(Logged(End(isError: false)));
        renderer.Render(Logged(Message("sevt_m", "Done.")));

        Assert.Equal("agent Done.\n  model request: 3 in, 2 out\n", _output.ToString());
    }

    [Fact]
    public void An_update_shows_the_fields_it_changed_with_the_status_lines()
    {
        Renderer(showStatus: false).Render(Logged(new SessionUpdatedEvent { Title = new Changed<string?>("Sea poems") }));
        Assert.Equal("", _output.ToString());

        var renderer = Renderer(showStatus: true);
        renderer.Render(Logged(new SessionUpdatedEvent { Title = new Changed<string?>("Sea poems"), Metadata = new Changed<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>()) }));
        renderer.Render(Logged(new SessionUpdatedEvent { Budget = new Changed<SessionBudget?>(null) }));

        Assert.Contains("— updated: title \"Sea poems\", metadata", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("— updated: budget removed", _output.ToString(), StringComparison.Ordinal);
    }
}
