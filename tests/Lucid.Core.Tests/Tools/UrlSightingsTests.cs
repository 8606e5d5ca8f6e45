using System.Text.Json;
using Lucid.Agents;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Tools;

namespace Lucid.Core.Tests.Tools;

public sealed class UrlSightingsTests
{
    private static readonly WebFetchUrlSources Everything = new();

    [Fact]
    public void A_url_never_shown_is_refused_and_one_from_user_text_is_allowed_unless_user_input_is_none()
    {
        var urls = new UrlSightings();
        urls.SeeUserText("Please read https://Docs.Example.com/guide#intro, then summarise.");

        Assert.Null(urls.Refusal("https://docs.example.com/guide", Everything));
        Assert.Null(urls.Refusal("https://docs.example.com/guide#other", Everything));
        Assert.Contains("has not appeared in any of them", urls.Refusal("https://docs.example.com/other", Everything), StringComparison.Ordinal);
        Assert.Equal(
            "this URL appeared only in user input, and this agent's url_sources do not allow URLs from that source.",
            urls.Refusal("https://docs.example.com/guide", new WebFetchUrlSources { UserInput = false }));
    }

    [Fact]
    public void Custom_tool_results_count_by_tool_name_and_built_in_results_other_than_web_fetch_count_for_nothing()
    {
        var urls = new UrlSightings();
        urls.SeeCall("use_1", "search_docs", custom: true);
        urls.SeeCall("use_2", "lookup", custom: true);
        urls.SeeCall("use_3", "bash", custom: false);
        urls.SeeCall("use_4", "web_fetch", custom: false);
        urls.SeeResult("use_1", "found (https://a.example/1)");
        urls.SeeResult("use_2", "found <https://a.example/2>");
        urls.SeeResult("use_3", "curl said https://a.example/3");
        urls.SeeResult("use_4", "HTTP 200\n\nNext page (https://a.example/4).");
        var onlySearch = new WebFetchUrlSources { ClientToolResults = new UrlSourceFilter(UrlSourceFilterKind.Only, ["search_docs"]) };
        var noServer = new WebFetchUrlSources { ServerToolResults = UrlSourceFilter.None };

        Assert.Null(urls.Refusal("https://a.example/1", onlySearch));
        Assert.Contains("appeared only in custom tool lookup", urls.Refusal("https://a.example/2", onlySearch), StringComparison.Ordinal);
        Assert.Contains("has not appeared", urls.Refusal("https://a.example/3", Everything), StringComparison.Ordinal);
        Assert.Null(urls.Refusal("https://a.example/4", onlySearch));
        Assert.Contains("appeared only in server tool web_fetch", urls.Refusal("https://a.example/4", noServer), StringComparison.Ordinal);
    }

    [Fact]
    public void A_conversation_folds_the_urls_of_its_log_by_source()
    {
        var conversation = new Conversation();
        var input = JsonSerializer.SerializeToElement(new { });
        long sequence = 0;
        foreach (var e in new SessionEvent[]
        {
            new UserMessageEvent { Id = "sevt_1", Content = [new TextBlock("Start at https://site.example/home")] },
            new AgentCustomToolUseEvent { Id = "sevt_2", Name = "crawl", Input = input },
            new UserCustomToolResultEvent { Id = "sevt_3", CustomToolUseId = "sevt_2", Content = [new TextBlock("links: https://site.example/deep")] },
        })
        {
            conversation.Apply(new LoggedEvent("sesn_1", ++sequence, e));
        }

        var onlyUser = new WebFetchUrlSources { ClientToolResults = UrlSourceFilter.None };
        Assert.Null(conversation.Urls.Refusal("https://site.example/home", onlyUser));
        Assert.Contains("appeared only in custom tool crawl", conversation.Urls.Refusal("https://site.example/deep", onlyUser), StringComparison.Ordinal);
        Assert.Null(conversation.Urls.Refusal("https://site.example/deep", Everything));
    }
}
