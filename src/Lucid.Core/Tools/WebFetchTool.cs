using System.Globalization;
using System.Text.Json;
using Lucid.Agents;
using Lucid.Results;
using Lucid.Sandboxing;

namespace Lucid.Tools;

/// <summary>
/// Fetches a URL with <c>curl</c> in the session's sandbox (see <see cref="SandboxedCommand"/>), so it reaches exactly
/// what <c>bash</c> may reach: nothing, the environment's allowed hosts through its egress proxy, or the network. On top
/// of that, the agent's <see cref="WebFetchConfig"/> decides which domains (checked on every URL, so Lucid follows
/// redirects itself, at most 5) and which sources' URLs may be fetched, and how many tokens of text come back. Each
/// request reads at most <see cref="MaxBodyBytes"/> of the body and gives up after 30 seconds; HTML comes back as
/// readable text.
/// </summary>
internal sealed class WebFetchTool : BuiltInTool
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The most bytes of a response body read; the rest is never downloaded.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>How long curl may take for one request.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The most redirects followed.</summary>
    public const int MaxRedirects = 5;

    private const string BodyMarker = "lucid-web-fetch-body";

    private static readonly JsonElement Schema = ToolInput.Schema("""
        {"type":"object","properties":{
          "url":{"type":"string","description":"The absolute http or https URL to fetch (at most 2048 characters)."}},
         "required":["url"],"additionalProperties":false}
        """);

    public override string Name => "web_fetch";

    public override string Description =>
        "Fetch a URL over HTTP(S) and return the response's status, content type and body as text (HTML is converted to "
        + "readable text, with links as absolute URLs). It reaches only what the environment's network policy and the "
        + "agent's web_fetch settings allow; it follows up to 5 redirects, reads at most 1 MiB of a body and gives up on "
        + "a request after 30 seconds.";

    public override JsonElement InputSchema => Schema;

    protected override async Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var url = new ToolInput(Name, input).String("url", required: true, out var error);
        if (url is null || error is not null)
        {
            return error ?? ToolResult.Fail("web_fetch: the input field 'url' is required.");
        }

        if (Invalid(url) is { } invalid)
        {
            return ToolResult.Fail($"web_fetch: {invalid}");
        }

        if (context.WebFetch is { Config.UrlSources: { } sources } rules && rules.Urls.Refusal(url, sources) is { } notShown)
        {
            return ToolResult.Fail($"web_fetch: {url} is refused: {notShown}");
        }

        var current = new Uri(url);
        for (var redirects = 0; ; redirects++)
        {
            if (WebFetchDomains.Refusal(current, context.WebFetch?.Config) is { } refused)
            {
                return ToolResult.Fail(redirects == 0 ? $"web_fetch: {url} is refused: {refused}" : $"web_fetch: {url} redirected to {current.AbsoluteUri}, which is refused: {refused}");
            }

            var fetched = await FetchAsync(current, context, cancellationToken);
            if (!fetched.IsSuccess)
            {
                return ToolResult.Fail(fetched.Error.Message);
            }

            var output = fetched.Value;
            if (output.CurlExit != 0 || output.Status is < 300 or >= 400 || output.RedirectUrl.Length == 0)
            {
                return Result(url, current, output, context);
            }

            if (redirects == MaxRedirects)
            {
                return ToolResult.Fail($"web_fetch: fetching {url} failed: it was redirected more than {MaxRedirects} times.");
            }

            if (Invalid(output.RedirectUrl) is { } badRedirect)
            {
                return ToolResult.Fail($"web_fetch: {current.AbsoluteUri} redirected to a URL that cannot be fetched: {badRedirect}");
            }

            current = new Uri(output.RedirectUrl);
        }
    }

    // One request, without following redirects: the caller checks each redirect's URL before it goes on.
    private async Task<Result<WebFetchOutput>> FetchAsync(Uri url, ToolContext context, CancellationToken cancellationToken)
    {
        var prepared = SandboxedCommand.Prepare(context.Sandbox, context.Directory.Root, Command(url.AbsoluteUri), Name, context.SandboxLog);
        if (!prepared.IsSuccess)
        {
            return prepared.Error;
        }

        await using var start = prepared.Value;

        // curl stops itself at FetchTimeout; the margin covers starting the sandbox.
        var run = await ShellCommand.RunAsync(start.Start, FetchTimeout + TimeSpan.FromSeconds(15), context.Limits.MaxOutputChars, context.TimeProvider, cancellationToken);
        return run.TimedOut
            ? LucidError.Invalid("url", $"web_fetch: fetching {url.AbsoluteUri} did not finish within its time limit and was stopped.")
            : WebFetchOutput.Parse(run.Output, BodyMarker);
    }

    /// <summary>Why <paramref name="url"/> cannot be fetched, or null when it can.</summary>
    internal static string? Invalid(string url)
    {
        if (url.Length > MaxUrlLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the url is {url.Length:N0} characters long; at most {MaxUrlLength:N0} are allowed.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return $"'{url}' is not an absolute http or https URL.";
        }

        return null;
    }

    /// <summary>
    /// The bash script that fetches <paramref name="url"/> (one request): curl's messages, its status line and where a
    /// redirect points go to a file, the body
    /// through <c>head</c> (which stops the download one byte past the limit, so a cut is known), then all of it is
    /// printed in the order <see cref="WebFetchOutput.Parse"/> reads.
    /// </summary>
    private static string Command(string url) => string.Create(CultureInfo.InvariantCulture, $$"""
        d=$(mktemp -d) || exit 1
        trap 'rm -rf "$d"' EXIT
        curl --silent --show-error --max-time {{FetchTimeout.TotalSeconds:0}} --proto =http,https \
          --write-out '%{stderr}status %{http_code} %{content_type}\nredirect %{redirect_url}\n' -- {{ShellQuoting.Quote(url)}} 2>"$d/meta" | head -c {{MaxBodyBytes + 1}} >"$d/body"
        printf 'exit %s\nbytes %s\n' "${PIPESTATUS[0]}" "$(wc -c <"$d/body")"
        cat "$d/meta"
        printf '{{BodyMarker}}\n'
        head -c {{MaxBodyBytes}} "$d/body"
        """);

    private static ToolResult Result(string url, Uri final, WebFetchOutput output, ToolContext context)
    {
        var cut = output.BodyBytes > MaxBodyBytes;

        // curl fails to write once head has read its fill: that is the cut, not an error.
        if (output.CurlExit != 0 && !(cut && output.CurlExit == 23))
        {
            return ToolResult.Fail($"web_fetch: fetching {final.AbsoluteUri} failed: {Cause(output)}{Policy(context.Sandbox)}");
        }

        var html = HtmlText.IsHtml(output.ContentType);
        var body = html ? HtmlText.From(output.Body, final) : output.Body;
        var notes = new List<string>
        {
            cut ? string.Create(CultureInfo.InvariantCulture, $"body cut at {MaxBodyBytes:N0} bytes (the rest was not read)") : string.Create(CultureInfo.InvariantCulture, $"{output.BodyBytes:N0} bytes"),
        };
        if (html)
        {
            notes.Add("HTML converted to text");
        }

        if (context.WebFetch?.Config.MaxContentTokens is { } maxTokens && MaxContentChars(maxTokens) is var maxChars && body.Length > maxChars)
        {
            body = body[..maxChars];
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"text cut at max_content_tokens {maxTokens:N0} (about {maxChars:N0} characters)"));
        }

        if (final.AbsoluteUri != new Uri(url).AbsoluteUri)
        {
            notes.Add($"redirected to {final.AbsoluteUri}");
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"HTTP {output.Status}, content type {(output.ContentType.Length == 0 ? "not given" : output.ContentType)}, {string.Join(", ", notes)}");
        var text = ToolOutput.Limit($"{summary}\n\n{body}", context.Limits.MaxOutputChars);
        return output.Status is >= 200 and < 300
            ? ToolResult.Ok(text)
            : ToolResult.Fail($"web_fetch: {url} answered with a status that is not a success.\n{text}");
    }

    // Tokens are counted as Lucid estimates them for any model without a public tokenizer.
    private static int MaxContentChars(int maxTokens) => (int)Math.Min(int.MaxValue, Math.Floor(maxTokens * Models.TokenEstimate.CharactersPerToken));

    private static string Cause(WebFetchOutput output) => output.CurlExit switch
    {
        6 => $"its host name could not be resolved ({output.CurlMessage})",
        7 => $"no connection could be made ({output.CurlMessage})",
        28 => string.Create(CultureInfo.InvariantCulture, $"it timed out after {FetchTimeout.TotalSeconds:0} seconds ({output.CurlMessage})"),
        _ => output.CurlMessage.Length == 0 ? $"curl exited with code {output.CurlExit}" : output.CurlMessage,
    };

    private static string Policy(SandboxOptions sandbox) => sandbox switch
    {
        { Isolation: ProcessIsolation.Unsandboxed } => "",
        { Network: NetworkAccess.None, Egress: null } => ". This environment's network policy gives its sandbox no network access.",
        { Network: NetworkAccess.None, Egress.Unrestricted: false } => ". This environment's network policy reaches only its allowed hosts, through its egress proxy.",
        _ => "",
    };
}
