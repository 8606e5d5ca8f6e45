using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using Lucid.Testing.Models;
using Lucid.Testing.Server;

namespace Lucid.Reliability.Tests.Fuzz;

/// <summary>
/// What the fuzzer's requests aim at: one resource of every kind, made through the API and settled — agents, an
/// environment, a session whose lead ran a thread and wrote a file, a memory store with a history, a completed dream,
/// an imported session — and a few resources of another workspace.
/// </summary>
internal sealed record FuzzWorld
{
    public required string Agent { get; init; }

    public required string Environment { get; init; }

    public required string Session { get; init; }

    /// <summary>A child thread of <see cref="Session"/>.</summary>
    public required string Thread { get; init; }

    public required string MemoryStore { get; init; }

    public required string Memory { get; init; }

    public required string MemoryVersion { get; init; }

    public required string Dream { get; init; }

    public required string Vault { get; init; }

    /// <summary>A deployment without a schedule.</summary>
    public required string Deployment { get; init; }

    /// <summary>A run ID that names no run: a real run would start a session that changes the store while the fuzzer compares it.</summary>
    public required string DeploymentRun { get; init; }

    /// <summary>A webhook endpoint of the first workspace.</summary>
    public required string Webhook { get; init; }

    /// <summary>A learning policy of the first workspace, on <see cref="Deployment"/> and <see cref="MemoryStore"/>.</summary>
    public required string LearningPolicy { get; init; }

    /// <summary>A static bearer credential in <see cref="Vault"/>.</summary>
    public required string Credential { get; init; }

    public required string ForeignVault { get; init; }

    /// <summary>An uploaded file, mounted into <see cref="Session"/> as <see cref="SessionResource"/>.</summary>
    public required string File { get; init; }

    public required string SessionResource { get; init; }

    public required string ForeignFile { get; init; }

    /// <summary>A skill of the first workspace, with two versions.</summary>
    public required string Skill { get; init; }

    /// <summary>The latest version of <see cref="Skill"/>.</summary>
    public required string SkillVersion { get; init; }

    public required string ForeignSkill { get; init; }

    public required string ForeignAgent { get; init; }

    public required string ForeignEnvironment { get; init; }

    public required string ForeignSession { get; init; }

    public required string ForeignMemoryStore { get; init; }

    /// <summary>Makes the world in <paramref name="server"/> and waits until nothing in it is still working.</summary>
    public static async Task<FuzzWorld> CreateAsync(LucidTestServer server)
    {
        server.Scripted
            .With("scripted/researcher", new ScriptedChatClient().Reply("The answer is 42."))
            .With("scripted/lead", new ScriptedChatClient()
                .CallTool("write", new { file_path = "notes.md", content = "What the lead learned." })
                .CallTool("start_thread", new { agent = "researcher", task = "Find the answer." })
                .CallTool("wait_for_threads", new { })
                .Reply("The researcher says 42."))
            .With("scripted/dreamer", new ScriptedChatClient().Reply("""{"lessons":[]}""").Reply("""{"operations":[]}"""));
        using var alpha = server.Http(server.AlphaKey);
        using var beta = server.Http(server.BetaKey);

        var researcher = await IdAsync(alpha, "/v1/agents", """{"name":"researcher","model":"scripted/researcher","system":"You research."}""");
        var lead = await IdAsync(alpha, "/v1/agents", $$"""
            {"name":"lead","model":"scripted/lead","tools":[{"type":"agent_toolset_20260401"}],
             "multiagent":{"type":"multiagent_20261001","subagents":{"type":"enabled","predefined_agents":["{{researcher}}"]} } }
            """);
        var environment = await IdAsync(alpha, "/v1/environments", """{"name":"fuzz"}""");
        var session = await IdAsync(alpha, "/v1/sessions", $$"""
            {"agent":"{{lead}}","environment_id":"{{environment}}","title":"fuzzed",
             "initial_events":[{"type":"user.message","content":[{"type":"text","text":"What is the answer?"}]}]}
            """);
        await UntilIdleAsync(alpha, session);
        var threads = await SendAsync(alpha, HttpMethod.Get, $"/v1/sessions/{session}/threads", null);
        var thread = threads["data"]?[1]?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("The lead started no thread.");

        var store = await IdAsync(alpha, "/v1/memory_stores", """{"name":"lessons"}""");
        var memory = await IdAsync(alpha, $"/v1/memory_stores/{store}/memories", """{"path":"/lessons/one.md","content":"One."}""");
        await SendAsync(alpha, HttpMethod.Post, $"/v1/memory_stores/{store}/memories/{memory}", """{"content":"One, revised."}""");
        var gone = await IdAsync(alpha, $"/v1/memory_stores/{store}/memories", """{"path":"/lessons/two.md","content":"Two."}""");
        await SendAsync(alpha, HttpMethod.Delete, $"/v1/memory_stores/{store}/memories/{gone}", null);
        var version = (await SendAsync(alpha, HttpMethod.Get, $"/v1/memory_stores/{store}/memory_versions", null))["data"]?[0]?["id"]?.GetValue<string>()
            ?? throw new InvalidOperationException("The store has no memory version.");

        var dream = await IdAsync(alpha, "/v1/dreams", $$"""
            {"inputs":[{"type":"memory_store","memory_store_id":"{{store}}"},{"type":"sessions","session_ids":["{{session}}"]}],"model":"scripted/dreamer"}
            """);
        await UntilDreamEndsAsync(alpha, dream);
        await SendAsync(alpha, HttpMethod.Post, "/v1/lucid/imports/openai-chat?source=fuzz.jsonl", """[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]""");

        var vault = await IdAsync(alpha, "/v1/vaults", """{"display_name":"fuzz"}""");
        var credential = await IdAsync(alpha, $"/v1/vaults/{vault}/credentials", """{"auth":{"type":"static_bearer","mcp_server_url":"https://mcp.example.com/mcp","token":"fuzz-secret"}}""");
        var foreignAgent = await IdAsync(beta, "/v1/agents", $$"""{"name":"theirs","model":"{{LucidTestServer.Model}}"}""");
        var foreignEnvironment = await IdAsync(beta, "/v1/environments", """{"name":"theirs"}""");
        var deployment = await IdAsync(alpha, "/v1/deployments", $$"""
            {"name":"fuzz","agent":"{{researcher}}","environment_id":"{{environment}}","initial_events":[{"type":"user.message","content":[{"type":"text","text":"hi"}]}],
             "resources":[{"type":"memory_store","memory_store_id":"{{store}}"}]}
            """);
        var file = await UploadAsync(alpha, "fuzz.txt");
        var resource = await IdAsync(alpha, $"/v1/sessions/{session}/resources", $$"""{"type":"file","file_id":"{{file}}"}""");
        var skill = await UploadSkillAsync(alpha, "/v1/skills");
        var skillVersion = await UploadSkillAsync(alpha, $"/v1/skills/{skill}/versions");
        return new FuzzWorld
        {
            File = file,
            SessionResource = resource,
            ForeignFile = await UploadAsync(beta, "theirs.txt"),
            Skill = skill,
            SkillVersion = skillVersion,
            ForeignSkill = await UploadSkillAsync(beta, "/v1/skills"),
            Agent = lead,
            Environment = environment,
            Session = session,
            Thread = thread,
            MemoryStore = store,
            Memory = memory,
            MemoryVersion = version,
            Dream = dream,
            Vault = vault,
            Deployment = deployment,
            DeploymentRun = "drun_011CZkZaBF1tNoB5wlCeusgy",
            LearningPolicy = await IdAsync(alpha, "/v1/lucid/learning_policies", $$"""
                {"deployment_id":"{{deployment}}","memory_store_id":"{{store}}","trigger":{"type":"cron","expression":"0 3 * * *"},"model":"scripted/dreamer"}
                """),
            Webhook = await IdAsync(alpha, "/v1/lucid/webhooks", """{"url":"https://hooks.example.com/fuzz","enabled_events":["session.status_idled"]}"""),
            Credential = credential,
            ForeignVault = await IdAsync(beta, "/v1/vaults", """{"display_name":"theirs"}"""),
            ForeignAgent = foreignAgent,
            ForeignEnvironment = foreignEnvironment,
            ForeignSession = await IdAsync(beta, "/v1/sessions", $$"""{"agent":"{{foreignAgent}}","environment_id":"{{foreignEnvironment}}"}"""),
            ForeignMemoryStore = await IdAsync(beta, "/v1/memory_stores", """{"name":"theirs"}"""),
        };
    }

    private static async Task<string> UploadAsync(HttpClient http, string filename)
    {
        using var form = new MultipartFormDataContent { { new StringContent($"the content of {filename}"), "file", filename } };
        using var response = await http.PostAsync("/v1/files", form);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("The upload returned no id.")
            : throw new InvalidOperationException($"The upload of {filename} answered {(int)response.StatusCode}: {body}");
    }

    private static async Task<string> UploadSkillAsync(HttpClient http, string path)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("---\nname: fuzzing\ndescription: Fuzzes things.\n---\nFuzz them."), "files[]", "fuzzing/SKILL.md" },
            { new StringContent("echo fuzz"), "files[]", "fuzzing/scripts/fuzz.sh" },
        };
        using var response = await http.PostAsync(path, form);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("The skill upload returned no id.")
            : throw new InvalidOperationException($"The skill upload to {path} answered {(int)response.StatusCode}: {body}");
    }

    private static async Task<string> IdAsync(HttpClient http, string path, string json) =>
        (await SendAsync(http, HttpMethod.Post, path, json))["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"{path} returned no id.");

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body) ?? new JsonObject()
            : throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {body}");
    }

    // The lead waits for its thread, so its idle is the end of all the session's work.
    private static async Task UntilIdleAsync(HttpClient http, string session)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var stream = await http.GetStreamAsync($"/v1/sessions/{session}/events/stream", timeout.Token);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            if (item.EventType == "session.status_idle")
            {
                return;
            }
        }

        throw new InvalidOperationException($"The stream of {session} ended before the session was idle.");
    }

    // A client learns a dream's end by reading it; there is no stream of dreams.
    private static async Task UntilDreamEndsAsync(HttpClient http, string dream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? status;
        while ((status = (await SendAsync(http, HttpMethod.Get, $"/v1/dreams/{dream}", null))["status"]?.GetValue<string>()) is "pending" or "running")
        {
            await Task.Delay(20, timeout.Token);
        }

        if (status != "completed")
        {
            throw new InvalidOperationException($"Dream {dream} ended {status}.");
        }
    }
}
