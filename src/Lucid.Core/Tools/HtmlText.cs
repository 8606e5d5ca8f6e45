using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Lucid.Tools;

/// <summary>
/// An HTML page as readable text: the title, then the body's text with one line per block (headings marked with
/// <c>#</c>, list items with <c>-</c>), links as <c>text (absolute URL)</c>, and preformatted text keeping its line breaks.
/// Scripts, styles and other invisible parts are dropped. Parsed with AngleSharp, which runs no script.
/// </summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "blockquote", "pre", "ul", "ol",
        "li", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "dl", "dt", "dd", "figure", "figcaption", "form",
    };

    /// <summary>Whether a response of <paramref name="contentType"/> is HTML.</summary>
    public static bool IsHtml(string contentType) =>
        contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/xhtml+xml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The readable text of <paramref name="html"/>, with links resolved against <paramref name="url"/>.</summary>
    public static string From(string html, Uri url)
    {
        var document = new HtmlParser().ParseDocument(html);
        var text = new StringBuilder();
        if (document.Title is { Length: > 0 } title)
        {
            text.Append("Title: ").Append(Collapse(title)).Append("\n\n");
        }

        if (document.Body is { } body)
        {
            Append(body, url, text);
        }

        return Tidy(text.ToString());
    }

    private static void Append(INode node, Uri url, StringBuilder text)
    {
        switch (node)
        {
            case IText textNode:
                var collapsed = Collapse(textNode.Data);
                if (collapsed.Length > 0)
                {
                    if (text.Length > 0 && !char.IsWhiteSpace(text[^1]) && char.IsWhiteSpace(textNode.Data[0]))
                    {
                        text.Append(' ');
                    }

                    text.Append(collapsed);
                    if (char.IsWhiteSpace(textNode.Data[^1]))
                    {
                        text.Append(' ');
                    }
                }

                return;
            case IElement element when Skipped.Contains(element.LocalName) || element.HasAttribute("hidden"):
                return;
            case IElement { LocalName: "pre" } pre:
                text.Append('\n').Append(pre.TextContent.TrimEnd()).Append('\n');
                return;
            case IElement element:
                var block = Blocks.Contains(element.LocalName);
                if (block)
                {
                    text.Append('\n');
                }

                if (element.LocalName is ['h', >= '1' and <= '6'])
                {
                    text.Append('#', element.LocalName[1] - '0').Append(' ');
                }
                else if (element.LocalName == "li")
                {
                    text.Append("- ");
                }

                foreach (var child in element.ChildNodes)
                {
                    Append(child, url, text);
                }

                if (element.LocalName == "a" && element.GetAttribute("href") is { Length: > 0 } href
                    && Uri.TryCreate(url, href, out var target) && (target.Scheme == Uri.UriSchemeHttp || target.Scheme == Uri.UriSchemeHttps))
                {
                    text.Append(" (").Append(target.AbsoluteUri).Append(')');
                }

                if (block)
                {
                    text.Append('\n');
                }

                return;
            default:
                foreach (var child in node.ChildNodes)
                {
                    Append(child, url, text);
                }

                return;
        }
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    // Trims each line and keeps at most one blank line between blocks.
    private static string Tidy(string text)
    {
        var lines = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.Trim().Length == 0)
            {
                if (lines.Count > 0 && lines[^1].Length > 0)
                {
                    lines.Add("");
                }

                continue;
            }

            lines.Add(trimmed.TrimStart());
        }

        return string.Join('\n', lines).Trim('\n');
    }
}
