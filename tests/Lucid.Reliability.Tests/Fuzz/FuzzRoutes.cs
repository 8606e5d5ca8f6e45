using System.Text.Json.Nodes;
using Lucid.Testing.Server;

namespace Lucid.Reliability.Tests.Fuzz;

/// <summary>
/// What the fuzzer knows of every <c>/v1</c> route. The test checks this list against the server's own endpoint list,
/// so a route added to the server without an entry here fails the test instead of going unfuzzed.
/// </summary>
internal static class FuzzRoutes
{
    private const string Sessions = "/v1/sessions/{id}";
    private const string Threads = "/v1/sessions/{id}/threads/{threadId}";
    private const string Stores = "/v1/memory_stores/{id}";
    private const string Memories = "/v1/memory_stores/{storeId}/memories";
    private const string Versions = "/v1/memory_stores/{storeId}/memory_versions";
    private const string Vaults = "/v1/vaults/{id}";
    private const string Credentials = "/v1/vaults/{vaultId}/credentials";
    private const string Reviews = "/v1/lucid/dreams/{id}";
    private const string Deployments = "/v1/deployments/{id}";
    private const string Webhooks = "/v1/lucid/webhooks/{id}";
    private static readonly string[] Webhook = ["url", "name", "description", "enabled_events"];

    private const string Resources = "/v1/sessions/{id}/resources";
    private const string LearningPolicies = "/v1/lucid/learning_policies/{id}";
    private static readonly string[] Learning = ["deployment_id", "memory_store_id", "trigger", "model", "instructions", "review", "state"];
    private static readonly string[] Deployment = ["name", "description", "agent", "environment_id", "initial_events", "resources", "vault_ids", "metadata", "schedule", "budget"];

    private static readonly string[] Pages = ["limit", "page"];
    private static readonly string[] Dates = ["created_at[gt]", "created_at[gte]", "created_at[lt]", "created_at[lte]"];
    private static readonly string[] Agent = ["name", "model", "description", "system", "tools", "metadata", "multiagent", "skills"];
    private static readonly string[] Named = ["name", "description", "metadata"];

    public static IReadOnlyList<FuzzRoute> All { get; } =
    [
        Json("POST", "/v1/agents", Agent, _ => new() { ["name"] = "a", ["model"] = LucidTestServer.Model }),
        Get("/v1/agents", [.. Pages, "created_at[gte]", "created_at[lte]", "include_archived"]),
        Get("/v1/agents/{id}", "version"),
        Json("POST", "/v1/agents/{id}", ["version", .. Agent]),
        Post("/v1/agents/{id}/archive"),
        Get("/v1/agents/{id}/versions", Pages),

        Json("POST", "/v1/environments", Named, _ => new() { ["name"] = "e" }),
        Get("/v1/environments", [.. Pages, "include_archived"]),
        Get("/v1/environments/{id}"),
        Json("POST", "/v1/environments/{id}", Named),
        Post("/v1/environments/{id}/archive"),
        new("DELETE", "/v1/environments/{id}"),

        Json("POST", "/v1/sessions", ["agent", "environment_id", "title", "metadata", "initial_events", "resources", "vault_ids"],
            w => new() { ["agent"] = w.Agent, ["environment_id"] = w.Environment }),
        Get("/v1/sessions", [.. Pages, .. Dates, "include_archived", "order", "statuses[]", "agent_id", "agent_version", "memory_store_id"]),
        Get(Sessions),
        Json("POST", Sessions, ["title", "metadata", "agent"]),
        Post(Sessions + "/archive"),
        new("DELETE", Sessions),
        Get(Sessions + "/events", [.. Pages, .. Dates, "order", "types[]"]),
        Json("POST", Sessions + "/events", ["events"], _ => new() { ["events"] = new JsonArray(UserMessage()) }),
        Get(Sessions + "/events/stream", "after", "Last-Event-ID"),

        Get("/v1/sessions/{id}/threads", [.. Pages, "statuses[]"]),
        Get(Threads),
        Post(Threads + "/archive"),
        Get(Threads + "/events", [.. Pages, .. Dates, "order", "types[]"]),
        Get(Threads + "/stream", "after", "Last-Event-ID"),

        Json("POST", "/v1/memory_stores", Named, _ => new() { ["name"] = "s" }),
        Get("/v1/memory_stores", [.. Pages, "include_archived", "created_at[gte]", "created_at[lte]"]),
        Get(Stores),
        Json("POST", Stores, Named),
        Post(Stores + "/archive"),
        new("DELETE", Stores),

        Json("POST", Memories, ["path", "content"], _ => new() { ["path"] = "/fuzz/new.md", ["content"] = "x" }, "view"),
        Get(Memories, [.. Pages, "view", "path_prefix", "depth"]),
        Get(Memories + "/{id}", "view"),
        // An update that asks for nothing is a no-op that skips its precondition, so the valid body changes the content;
        // precondition comes first so that leaving out the first field never leaves such a no-op.
        Json("POST", Memories + "/{id}", ["precondition", "content", "path"], _ => new() { ["content"] = "Fuzzed." }, "view"),
        new("DELETE", Memories + "/{id}") { Query = ["expected_content_sha256"] },

        Get(Versions, [.. Pages, "view", "memory_id", "operation", "created_at[gte]", "created_at[lte]", "actors"]),
        Get(Versions + "/{id}", "view"),
        Post(Versions + "/{id}/redact"),

        Json("POST", "/v1/dreams", ["inputs", "model", "instructions", "output_behavior", "review"], w => new()
        {
            ["inputs"] = new JsonArray(
                new JsonObject { ["type"] = "memory_store", ["memory_store_id"] = w.MemoryStore },
                new JsonObject { ["type"] = "sessions", ["session_ids"] = new JsonArray(w.Session) }),
            ["model"] = "scripted/dreamer",
        }),
        Get("/v1/dreams", [.. Pages, "include_archived", "statuses[]", "created_at[gt]", "created_at[lt]"]),
        Get("/v1/dreams/{id}"),
        Post("/v1/dreams/{id}/cancel"),
        Post("/v1/dreams/{id}/archive"),
        Get(Reviews + "/changes"),
        Get(Reviews + "/changes/{changeId}"),
        Post(Reviews + "/changes/{changeId}/accept"),
        Post(Reviews + "/changes/{changeId}/reject"),
        Post(Reviews + "/review/finish"),

        Json("POST", "/v1/vaults", ["display_name", "metadata"], _ => new() { ["display_name"] = "v" }),
        Get("/v1/vaults", [.. Pages, "include_archived"]),
        Get(Vaults),
        Json("POST", Vaults, ["display_name", "metadata"]),
        Post(Vaults + "/archive"),
        new("DELETE", Vaults),

        // Each valid credential names a server of its own: a second one for the same URL in a vault is a conflict.
        Json("POST", Credentials, ["auth", "display_name", "metadata"], _ => new()
        {
            ["auth"] = new JsonObject { ["type"] = "static_bearer", ["mcp_server_url"] = $"https://fuzz.example.com/{Guid.NewGuid():N}", ["token"] = "fuzz-token" },
        }),
        Get(Credentials, [.. Pages, "include_archived"]),
        Get(Credentials + "/{id}"),
        Json("POST", Credentials + "/{id}", ["auth", "display_name", "metadata"]),
        Post(Credentials + "/{id}/archive"),
        new("DELETE", Credentials + "/{id}"),
        Post(Credentials + "/{id}/mcp_oauth_validate"),

        // Valid deployments have no schedule, so none runs while the fuzzer compares the store.
        Json("POST", "/v1/deployments", Deployment, w => new()
        {
            ["name"] = "d",
            ["agent"] = w.Agent,
            ["environment_id"] = w.Environment,
            ["initial_events"] = new JsonArray(UserMessage()),
        }),
        Get("/v1/deployments", [.. Pages, "created_at[gte]", "created_at[lte]", "include_archived", "status", "agent_id"]),
        Get(Deployments),
        Json("POST", Deployments, Deployment),
        Post(Deployments + "/archive"),
        Post(Deployments + "/pause"),
        Post(Deployments + "/unpause"),
        Post(Deployments + "/run"),
        Get("/v1/deployment_runs", [.. Pages, .. Dates, "has_error", "trigger_type"]),
        Get("/v1/deployment_runs/{id}"),

        Json("POST", "/v1/lucid/webhooks", Webhook, _ => new()
        {
            ["url"] = "https://hooks.example.com/fuzz",
            ["enabled_events"] = new JsonArray("session.status_idled"),
        }),
        // Not limit: as the SDK documents for webhook lists, 0 is valid there (it means 20).
        Get("/v1/lucid/webhooks", "order", "after_id", "before_id"),
        Get(Webhooks),
        Json("POST", Webhooks, [.. Webhook, "state"]),
        new("DELETE", Webhooks),
        Post(Webhooks + "/regenerate_signing_secret"),
        Get(Webhooks + "/deliveries", Pages),

        // An upload is multipart: every JSON body the fuzzer makes is bad input for it.
        Json("POST", "/v1/files", ["file"]),
        Get("/v1/files", [.. Pages, "scope_id"]),
        Get("/v1/files/{id}"),
        Get("/v1/files/{id}/content"),
        new("DELETE", "/v1/files/{id}"),

        // Uploads are multipart: every JSON body the fuzzer makes is bad input for them.
        Json("POST", "/v1/skills", ["files", "display_name"]),
        Get("/v1/skills", [.. Pages, "source"]),
        Get("/v1/skills/{id}"),
        new("DELETE", "/v1/skills/{id}"),
        Json("POST", "/v1/skills/{id}/versions", ["files"]),
        Get("/v1/skills/{id}/versions", Pages),
        Get("/v1/skills/{id}/versions/{version}"),
        new("DELETE", "/v1/skills/{id}/versions/{version}"),
        Get("/v1/skills/{id}/versions/{version}/content"),

        Json("POST", Resources, ["type", "file_id", "mount_path"], w => new() { ["type"] = "file", ["file_id"] = w.File, ["mount_path"] = $"/mnt/fuzz/{Guid.NewGuid():N}" }),
        Get(Resources, Pages),
        Get(Resources + "/{resourceId}"),
        Json("POST", Resources + "/{resourceId}", ["authorization_token"], _ => new() { ["authorization_token"] = "fuzz-token" }),
        new("DELETE", Resources + "/{resourceId}"),

        new("POST", "/v1/lucid/imports/{format}") { Body = FuzzBody.File, Query = ["source"] },

        Json("POST", "/v1/lucid/learning_policies", Learning, w => new()
        {
            ["deployment_id"] = w.Deployment,
            ["memory_store_id"] = w.MemoryStore,
            ["trigger"] = new JsonObject { ["type"] = "graded_sessions", ["count"] = 5 },
            ["model"] = "scripted/dreamer",
        }),
        Get("/v1/lucid/learning_policies"),
        Get(LearningPolicies),
        Json("POST", LearningPolicies, Learning),
        new("DELETE", LearningPolicies),
        // Not trials or concurrency: a wrong-typed 42 is a valid value of both, and a valid suite starts a run.
        Json("POST", "/v1/lucid/evals", ["agent", "environment", "tasks", "arms", "name", "max_iterations"], w => new()
        {
            ["agent"] = w.Agent,
            ["tasks"] = new JsonArray(new JsonObject { ["id"] = "t1", ["prompt"] = "p", ["rubric"] = "r" }),
            ["arms"] = new JsonArray(new JsonObject { ["name"] = "none" }),
        }),
        Get("/v1/lucid/evals", Pages),
        Get("/v1/lucid/evals/{id}"),
        Get("/v1/lucid/cluster"),
    ];

    /// <summary>A valid input event, for bodies that one bad field spoils.</summary>
    public static JsonObject UserMessage() => new()
    {
        ["type"] = "user.message",
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "hi" }),
    };

    private static FuzzRoute Get(string pattern, params string[] query) => new("GET", pattern) { Query = query };

    private static FuzzRoute Post(string pattern) => new("POST", pattern);

    private static FuzzRoute Json(string method, string pattern, string[] fields, Func<FuzzWorld, JsonObject>? valid = null, params string[] query) =>
        new(method, pattern) { Body = FuzzBody.Json, Fields = fields, Valid = valid, Query = query };
}
