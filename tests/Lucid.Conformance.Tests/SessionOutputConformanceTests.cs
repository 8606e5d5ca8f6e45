using Anthropic.Models.Beta.Files;

namespace Lucid.Conformance.Tests;

/// <summary>What a session writes under /mnt/session/outputs is listed as files scoped to it once it goes idle, through the official SDK.</summary>
[Collection(FileServerGroup.Name)]
public sealed class SessionOutputConformanceTests(FileServerFixture fixture)
{
    [Fact]
    public async Task Files_a_session_writes_under_its_outputs_are_listed_with_its_scope_when_it_goes_idle()
    {
        var (sessionId, results) = await fixture.RunToolsAsync(
            [],
            ("bash", new { command = "mkdir -p /mnt/session/outputs/tables && printf 'the report' > /mnt/session/outputs/report.md && printf 'a,b' > /mnt/session/outputs/tables/data.csv" }),
            ("bash", new { command = "printf 'the report, revised' > /mnt/session/outputs/report.md" }));

        var listed = await fixture.Alpha.Beta.Files.List(new FileListParams { ScopeID = sessionId });
        var report = listed.Items.Single(f => f.Filename == "report.md");
        using var download = await fixture.Alpha.Beta.Files.Download(report.ID);
        var others = await fixture.Beta.Beta.Files.List(new FileListParams { ScopeID = sessionId });

        Assert.All(results, r => Assert.False(r.IsError, r.Text));
        Assert.Equal(["data.csv", "report.md"], listed.Items.Select(f => f.Filename).Order(StringComparer.Ordinal));
        Assert.All(listed.Items, f => Assert.Equal(sessionId, f.Scope?.ID));
        Assert.All(listed.Items, f => Assert.Equal("session", f.Scope?.Type.GetString()));
        Assert.Equal("the report, revised", await download.ReadAsString(CancellationToken.None));
        Assert.Equal("text/markdown", report.MimeType);
        Assert.Empty(others.Items);
    }
}
