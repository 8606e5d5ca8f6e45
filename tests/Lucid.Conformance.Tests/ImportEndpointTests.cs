using System.Net;
using System.Text;
using System.Text.Json;
using Lucid.Testing.Data;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>The Lucid extension <c>POST /v1/lucid/imports/{format}</c>, and imported sessions read through the official SDK.</summary>
public sealed class ImportEndpointTests : IAsyncLifetime
{
    private readonly LucidTestServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static byte[] FirstTrajectories(int count)
    {
        using var document = JsonDocument.Parse(TauBenchData.Trials(0));
        return Encoding.UTF8.GetBytes(string.Join('\n', document.RootElement.EnumerateArray().Take(count).Select(r => r.GetRawText())));
    }

    private async Task<JsonElement> PostAsync(string key, string path, byte[] body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var http = _server.Http(key);
        using var response = await http.PostAsync(path, new ByteArrayContent(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Posting_a_file_imports_its_records_into_the_callers_workspace_once()
    {
        var file = FirstTrajectories(3);

        var report = await PostAsync(_server.AlphaKey, "/v1/lucid/imports/tau-bench?beta=true&source=airline.jsonl", file);
        var again = await PostAsync(_server.AlphaKey, "/v1/lucid/imports/tau-bench?source=airline.jsonl", file);

        Assert.Equal("import_report", report.GetProperty("type").GetString());
        Assert.Equal(3, report.GetProperty("imported").GetArrayLength());
        Assert.Equal(0, again.GetProperty("imported").GetArrayLength());
        Assert.Equal(3, again.GetProperty("skipped").GetArrayLength());
        var sessionId = report.GetProperty("imported")[0].GetProperty("session_id").GetString()!;

        using var alpha = new Anthropic.AnthropicClient(new Anthropic.Core.ClientOptions { ApiKey = _server.AlphaKey, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });
        var session = await alpha.Beta.Sessions.Retrieve(sessionId);
        Assert.Equal("tau-bench:airline.jsonl", session.Metadata["lucid.import.source"]);
        using var beta = _server.Http(_server.BetaKey);
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/v1/sessions/{sessionId}")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_format_is_a_400_and_malformed_records_are_named()
    {
        var error = await PostAsync(_server.AlphaKey, "/v1/lucid/imports/csv", [], HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());

        var report = await PostAsync(_server.AlphaKey, "/v1/lucid/imports/openai-chat", Encoding.UTF8.GetBytes("[{\"role\":\"user\",\"content\":\"hi\"}]\n{bad"));
        Assert.Equal("line 2", report.GetProperty("malformed")[0].GetProperty("position").GetString());
        Assert.Equal(1, report.GetProperty("imported").GetArrayLength());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{bad\n[1,2")]
    [InlineData("{\"x\":1}")]
    public async Task A_body_in_which_no_record_is_a_transcript_is_a_400_naming_the_first_problem_and_writes_nothing(string body)
    {
        var before = await _server.SnapshotAsync();

        var error = await PostAsync(_server.AlphaKey, "/v1/lucid/imports/openai-chat", Encoding.UTF8.GetBytes(body), HttpStatusCode.BadRequest);

        Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("body", error.GetProperty("error").GetProperty("field").GetString());
        Assert.Contains(body.Length == 0 ? "not valid JSON or JSONL" : "transcript of format openai-chat", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await _server.SnapshotAsync());
    }
}
