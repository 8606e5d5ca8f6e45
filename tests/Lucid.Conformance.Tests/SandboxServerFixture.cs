using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Sandboxing;
using Lucid.Sessions;
using Lucid.Testing.Models;
using Lucid.Testing.Sandboxing;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>
/// A real server whose sessions' commands run in the sandbox with small limits, started with a fake provider key in
/// its process environment; and a way to have an agent run tools in a new session and read their results.
/// </summary>
public sealed class SandboxServerFixture : IAsyncLifetime
{
    /// <summary>A variable of the server's environment that no command may see, shaped like a provider key.</summary>
    public const string KeyVariable = "LUCID_SANDBOX_TEST_ANTHROPIC_API_KEY";

    public const string KeyValue = "sk-ant-sandbox-test-must-not-leak";

    public static readonly SandboxLimits Limits = new() { MemoryBytes = 128L << 20, Processes = 64, TmpBytes = 16L << 20 };

    private readonly LucidTestServer _server = new();

    public LucidTestServer Server => _server;

    /// <summary>The package index and registry environments' packages are installed from.</summary>
    public FakePackageIndex Packages { get; } = new();

    public AnthropicClient Client(string key) => new(new ClientOptions { ApiKey = key, BaseUrl = _server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(KeyVariable, KeyValue);
        await Packages.StartAsync();
        await _server.StartAsync(engine: new SessionEngineOptions
        {
            Sandbox = new SandboxOptions { Limits = Limits },
            Packages = new PackageOptions
            {
                PipIndexUrl = Packages.PipIndexUrl,
                NpmRegistry = Packages.NpmRegistry,
                GemSource = Packages.GemSource,
                GoProxy = Packages.GoProxy,
                CargoRegistry = new Uri($"{Packages.BaseUrl}/cargo-index"),
            },
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await Packages.DisposeAsync();
        Environment.SetEnvironmentVariable(KeyVariable, null);
    }

    /// <summary>
    /// Creates an agent (built-in tools, always allowed) on a scripted model that makes <paramref name="calls"/> one after
    /// another, and a session that runs them; returns the session and each tool result's text and error flag.
    /// </summary>
    public Task<(string SessionId, List<(string Text, bool IsError)> Results)> RunToolsAsync(string key, params (string Tool, object Input)[] calls) =>
        RunToolsAsync(key, null, calls);

    /// <summary>As <see cref="RunToolsAsync(string, (string Tool, object Input)[])"/>, in a new environment with <paramref name="config"/>.</summary>
    public Task<(string SessionId, List<(string Text, bool IsError)> Results)> RunToolsAsync(string key, BetaCloudConfigParams? config, params (string Tool, object Input)[] calls) =>
        RunToolsAsync(key, config, new BetaManagedAgentsAgentToolset20260401Params(), calls);

    /// <summary>As <see cref="RunToolsAsync(string, BetaCloudConfigParams?, (string Tool, object Input)[])"/>, for an agent with <paramref name="toolset"/>.</summary>
    public async Task<(string SessionId, List<(string Text, bool IsError)> Results)> RunToolsAsync(
        string key, BetaCloudConfigParams? config, BetaManagedAgentsAgentToolset20260401Params toolset, params (string Tool, object Input)[] calls)
    {
        var environment = await Client(key).Beta.Environments.Create(config is null
            ? new EnvironmentCreateParams { Name = "sandboxed" }
            : new EnvironmentCreateParams { Name = "sandboxed", Config = config });
        return await RunToolsInAsync(key, environment.ID, toolset, calls);
    }

    /// <summary>
    /// As <see cref="RunToolsAsync(string, (string Tool, object Input)[])"/>, in the environment <paramref name="environmentId"/>.
    /// An input may be a <see cref="Func{T, TResult}"/> of the session's ID, computed when the model makes the call.
    /// </summary>
    public Task<(string SessionId, List<(string Text, bool IsError)> Results)> RunToolsInAsync(string key, string environmentId, params (string Tool, object Input)[] calls) =>
        RunToolsInAsync(key, environmentId, new BetaManagedAgentsAgentToolset20260401Params(), calls);

    private async Task<(string SessionId, List<(string Text, bool IsError)> Results)> RunToolsInAsync(
        string key, string environmentId, BetaManagedAgentsAgentToolset20260401Params toolset, params (string Tool, object Input)[] calls)
    {
        var model = $"scripted/sandboxed-{Guid.NewGuid():N}";
        var script = new ScriptedChatClient();
        var sessionId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var (tool, input) in calls)
        {
            script.Then(async (_, _) => script.Response(ScriptedChatClient.ToolCalls(null, (tool, input is Func<string, object> compute ? compute(await sessionId.Task) : input))));
        }

        _server.Scripted.With(model, script.Reply("Done."));
        var client = Client(key);
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "sandboxed",
            Model = new BetaManagedAgentsModelConfigParams { ID = model },
            Tools = [toolset],
        });
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environmentId,
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Run the tools." }] }],
        });
        sessionId.SetResult(session.ID);

        var results = new List<(string, bool)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            var type = e.Json.GetProperty("type").GetString();
            if (type == "agent.tool_result")
            {
                var text = string.Concat(e.Json.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("text").GetString()));
                results.Add((text, e.Json.TryGetProperty("is_error", out var error) && error.GetBoolean()));
            }
            else if (type == "session.status_idle")
            {
                break;
            }
        }

        return (session.ID, results);
    }

    /// <summary>Runs one bash command in a new session of workspace alpha; returns its result.</summary>
    public async Task<(string Text, bool IsError)> BashAsync(string command, int? timeoutMs = null, BetaCloudConfigParams? config = null)
    {
        var (_, results) = await RunToolsAsync(_server.AlphaKey, config, ("bash", timeoutMs is { } ms ? new { command, timeout_ms = ms } : new { command }));
        return Assert.Single(results);
    }
}

[CollectionDefinition(Name)]
public sealed class SandboxServerGroup : ICollectionFixture<SandboxServerFixture>
{
    public const string Name = "sandbox-server";
}
