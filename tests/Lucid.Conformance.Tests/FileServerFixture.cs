using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Files;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Lucid.Files;
using Lucid.Sessions;
using Lucid.Testing.Models;
using Lucid.Testing.Server;

namespace Lucid.Conformance.Tests;

/// <summary>
/// A real server with a small file limit whose sessions' commands run in the sandbox; and ways to upload files and to
/// have an agent run tools in a new session with resources and read their results.
/// </summary>
public sealed class FileServerFixture : IAsyncLifetime
{
    /// <summary>The server's file limit.</summary>
    public const long MaxFileBytes = 64 * 1024;

    public LucidTestServer Server { get; } = new();

    public AnthropicClient Alpha => Client(Server.AlphaKey);

    public AnthropicClient Beta => Client(Server.BetaKey);

    public AnthropicClient Client(string key) => new(new ClientOptions { ApiKey = key, BaseUrl = Server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    public Task InitializeAsync() => Server.StartAsync(engine: new SessionEngineOptions { Files = new FileStoreOptions { MaxFileBytes = MaxFileBytes } });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Uploads <paramref name="content"/> as <paramref name="filename"/> with the SDK.</summary>
    public static Task<BetaFileMetadata> UploadAsync(AnthropicClient client, string filename, string content, string mimeType = "text/plain") =>
        UploadAsync(client, filename, System.Text.Encoding.UTF8.GetBytes(content), mimeType);

    /// <summary>Uploads <paramref name="bytes"/> as <paramref name="filename"/> with the SDK.</summary>
    public static Task<BetaFileMetadata> UploadAsync(AnthropicClient client, string filename, byte[] bytes, string mimeType = "text/plain") =>
        client.Beta.Files.Upload(new FileUploadParams
        {
            File = new BinaryContent { Stream = new MemoryStream(bytes), FileName = filename, ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mimeType) },
        });

    /// <summary>
    /// Creates an agent (built-in tools, always allowed) on a scripted model that makes <paramref name="calls"/> one after
    /// another, and a session of workspace alpha with <paramref name="resources"/> that runs them; returns the session
    /// and each tool result's text and error flag.
    /// </summary>
    public async Task<(string SessionId, List<(string Text, bool IsError)> Results)> RunToolsAsync(IReadOnlyList<Resource> resources, params (string Tool, object Input)[] calls)
    {
        var model = $"scripted/files-{Guid.NewGuid():N}";
        var script = new ScriptedChatClient();
        foreach (var (tool, input) in calls)
        {
            script.Then((_, _) => Task.FromResult(script.Response(ScriptedChatClient.ToolCalls(null, (tool, input)))));
        }

        Server.Scripted.With(model, script.Reply("Done."));
        var agent = await Alpha.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "files",
            Model = new BetaManagedAgentsModelConfigParams { ID = model },
            Tools = [new BetaManagedAgentsAgentToolset20260401Params()],
        });
        var environment = await Alpha.Beta.Environments.Create(new EnvironmentCreateParams { Name = "files" });
        var session = await Alpha.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            Resources = [.. resources],
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Run the tools." }] }],
        });
        return (session.ID, await ToolResultsUntilIdleAsync(session.ID));
    }

    /// <summary>
    /// Follows a session's stream (from its start) until it goes idle for the <paramref name="idle"/>th time; returns the
    /// text and error flag of each tool result after the idle before it.
    /// </summary>
    public async Task<List<(string Text, bool IsError)>> ToolResultsUntilIdleAsync(string sessionId, int idle = 1)
    {
        var idles = 0;
        var results = new List<(string, bool)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await foreach (var e in Alpha.Beta.Sessions.Events.StreamStreaming(sessionId, new EventStreamParams(), timeout.Token))
        {
            e.Validate();
            var type = e.Json.GetProperty("type").GetString();
            if (type == "agent.tool_result" && idles == idle - 1)
            {
                var text = string.Concat(e.Json.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("text").GetString()));
                results.Add((text, e.Json.TryGetProperty("is_error", out var error) && error.GetBoolean()));
            }
            else if (type == "session.status_idle" && ++idles == idle)
            {
                break;
            }
        }

        return results;
    }
}

[CollectionDefinition(Name)]
public sealed class FileServerGroup : ICollectionFixture<FileServerFixture>
{
    public const string Name = "file-server";
}
