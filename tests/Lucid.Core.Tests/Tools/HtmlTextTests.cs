using Lucid.Tools;

namespace Lucid.Core.Tests.Tools;

public sealed class HtmlTextTests
{
    [Fact]
    public void A_page_becomes_its_title_headings_paragraphs_list_items_and_absolute_links_without_scripts_or_styles()
    {
        const string Html = """
            <html><head><title> Release   notes </title><style>h1 { color: red }</style><script>alert("x")</script></head>
            <body><h1>Version 2</h1>
            <p>Faster   start-up and <b>fewer</b> crashes.</p>
            <ul><li>See <a href="/docs/upgrade">the upgrade guide</a></li><li>Mail <a href="mailto:a@b.c">us</a></li></ul>
            <noscript>enable scripts</noscript><div hidden>secret</div>
            </body></html>
            """;

        var text = HtmlText.From(Html, new Uri("https://example.com/news/v2"));

        Assert.Equal(
            "Title: Release notes\n\n# Version 2\n\nFaster start-up and fewer crashes.\n\n- See the upgrade guide (https://example.com/docs/upgrade)\n\n- Mail us",
            text);
    }

    [Theory]
    [InlineData("text/html; charset=utf-8", true)]
    [InlineData("application/xhtml+xml", true)]
    [InlineData("text/plain", false)]
    [InlineData("application/json", false)]
    public void Only_html_content_types_are_converted(string contentType, bool html) => Assert.Equal(html, HtmlText.IsHtml(contentType));
}
