using System.Text.Json;
using Lucid.Sandboxing;
using Lucid.Tools;

namespace Lucid.Core.Tests.Tools;

public sealed class WebFetchToolTests
{
    // Processes are refused here: an input that got past validation would come back with the sandbox's refusal instead.
    private readonly ToolContext _context = new()
    {
        Directory = new WorkDirectory(Path.GetTempPath()),
        Sandbox = new SandboxOptions { Isolation = ProcessIsolation.Refused, RefusalReason = "none in this test" },
    };

    private Task<ToolResult> RunAsync(object input) =>
        (BuiltInTools.Find("web_fetch") ?? throw new InvalidOperationException("web_fetch is not a built-in tool")).InvokeAsync(JsonSerializer.SerializeToElement(input), _context, CancellationToken.None);

    [Theory]
    [InlineData("example.com/page", "is not an absolute http or https URL")]
    [InlineData("/etc/passwd", "is not an absolute http or https URL")]
    [InlineData("file:///etc/passwd", "is not an absolute http or https URL")]
    [InlineData("ftp://example.com/file", "is not an absolute http or https URL")]
    public async Task A_url_that_is_not_absolute_http_is_refused_before_anything_runs(string url, string expected)
    {
        var result = await RunAsync(new { url });

        Assert.True(result.IsError);
        Assert.Contains(expected, result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_over_2048_characters_is_refused_and_one_of_2048_is_not()
    {
        var longest = "https://example.com/" + new string('a', 2048 - "https://example.com/".Length);

        var over = await RunAsync(new { url = longest + "a" });
        var within = await RunAsync(new { url = longest });

        Assert.True(over.IsError);
        Assert.Contains("at most 2,048 are allowed", over.Content, StringComparison.Ordinal);
        Assert.Contains("web_fetch is refused", within.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_mistyped_url_names_the_field()
    {
        var missing = await RunAsync(new { });
        var mistyped = await RunAsync(new { url = 42 });

        Assert.Equal("web_fetch: the input field 'url' is required.", missing.Content);
        Assert.Equal("web_fetch: the input field 'url' must be a string.", mistyped.Content);
    }

    [Fact]
    public async Task A_valid_url_runs_in_the_sandbox_and_is_refused_where_no_sandbox_can_be_made()
    {
        var result = await RunAsync(new { url = "https://example.com/" });

        Assert.True(result.IsError);
        Assert.Contains("web_fetch is refused: this server cannot run commands in a sandbox (none in this test)", result.Content, StringComparison.Ordinal);
    }
}
