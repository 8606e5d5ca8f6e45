using System.Globalization;
using System.Text.Json;
using Lucid.Sandboxing;

namespace Lucid.Tools;

/// <summary>
/// Fetches a URL with <c>curl</c> in the session's sandbox (see <see cref="SandboxedCommand"/>), so it reaches exactly
/// what <c>bash</c> may reach: nothing, the environment's allowed hosts through its egress proxy, or the network. It
/// reads at most <see cref="MaxBodyBytes"/> of the body, follows at most 5 redirects, and gives up after 30 seconds.
/// The body comes back as raw text: HTML is not converted.
/// </summary>
internal sealed class WebFetchTool : BuiltInTool
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The most bytes of a response body read; the rest is never downloaded.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>How long curl may take for the whole fetch, redirects included.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(30);

    private const int MaxRedirects = 5;
    private const string BodyMarker = "lucid-web-fetch-body";

    private static readonly JsonElement Schema = ToolInput.Schema("""
        {"type":"object","properties":{
          "url":{"type":"string","description":"The absolute http or https URL to fetch (at most 2048 characters)."}},
         "required":["url"],"additionalProperties":false}
        """);

    public override string Name => "web_fetch";

    public override string Description =>
        "Fetch a URL over HTTP(S) and return the response's status, content type and body as raw text (HTML is not "
        + "converted). It reaches only what the environment's network policy allows; it follows up to 5 redirects, reads "
        + "at most 1 MiB of the body and gives up after 30 seconds.";

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

        var prepared = SandboxedCommand.Prepare(context.Sandbox, context.Directory.Root, Command(url), Name, context.SandboxLog);
        if (!prepared.IsSuccess)
        {
            return ToolResult.Fail(prepared.Error.Message);
        }

        await using var start = prepared.Value;

        // curl stops itself at FetchTimeout; the margin covers starting the sandbox.
        var run = await ShellCommand.RunAsync(start.Start, FetchTimeout + TimeSpan.FromSeconds(15), context.Limits.MaxOutputChars, context.TimeProvider, cancellationToken);
        if (run.TimedOut)
        {
            return ToolResult.Fail($"web_fetch: fetching {url} did not finish within its time limit and was stopped.");
        }

        return Result(url, WebFetchOutput.Parse(run.Output, BodyMarker), context);
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
    /// The bash script that fetches <paramref name="url"/>: curl's messages and its status line go to a file, the body
    /// through <c>head</c> (which stops the download one byte past the limit, so a cut is known), then all of it is
    /// printed in the order <see cref="WebFetchOutput.Parse"/> reads.
    /// </summary>
    private static string Command(string url) => string.Create(CultureInfo.InvariantCulture, $$"""
        d=$(mktemp -d) || exit 1
        trap 'rm -rf "$d"' EXIT
        curl --silent --show-error --location --max-redirs {{MaxRedirects}} --max-time {{FetchTimeout.TotalSeconds:0}} \
          --proto =http,https --proto-redir =http,https \
          --write-out '%{stderr}status %{http_code} %{content_type}\n' -- {{ShellQuoting.Quote(url)}} 2>"$d/meta" | head -c {{MaxBodyBytes + 1}} >"$d/body"
        printf 'exit %s\nbytes %s\n' "${PIPESTATUS[0]}" "$(wc -c <"$d/body")"
        cat "$d/meta"
        printf '{{BodyMarker}}\n'
        head -c {{MaxBodyBytes}} "$d/body"
        """);

    private static ToolResult Result(string url, WebFetchOutput output, ToolContext context)
    {
        var cut = output.BodyBytes > MaxBodyBytes;

        // curl fails to write once head has read its fill: that is the cut, not an error.
        if (output.CurlExit != 0 && !(cut && output.CurlExit == 23))
        {
            return ToolResult.Fail($"web_fetch: fetching {url} failed: {Cause(output)}{Policy(context.Sandbox)}");
        }

        var size = cut
            ? string.Create(CultureInfo.InvariantCulture, $"body cut at {MaxBodyBytes:N0} bytes (the rest was not read)")
            : string.Create(CultureInfo.InvariantCulture, $"{output.BodyBytes:N0} bytes");
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"HTTP {output.Status}, content type {(output.ContentType.Length == 0 ? "not given" : output.ContentType)}, {size}");
        var text = ToolOutput.Limit($"{summary}\n\n{output.Body}", context.Limits.MaxOutputChars);
        return output.Status is >= 200 and < 300
            ? ToolResult.Ok(text)
            : ToolResult.Fail($"web_fetch: {url} answered with a status that is not a success.\n{text}");
    }

    private static string Cause(WebFetchOutput output) => output.CurlExit switch
    {
        6 => $"its host name could not be resolved ({output.CurlMessage})",
        7 => $"no connection could be made ({output.CurlMessage})",
        28 => string.Create(CultureInfo.InvariantCulture, $"it timed out after {FetchTimeout.TotalSeconds:0} seconds ({output.CurlMessage})"),
        47 => $"it was redirected more than {MaxRedirects} times ({output.CurlMessage})",
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
