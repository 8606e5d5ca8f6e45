using System.Text;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Anthropic.Models.Beta.Sessions;
using Anthropic.Models.Beta.Sessions.Events;
using Anthropic.Models.Beta.Skills;
using Lucid.Testing.Models;
using Lucid.Testing.Server;
using Lucid.Testing.Storage;

namespace Lucid.Conformance.Tests;

/// <summary>
/// Two servers on one PostgreSQL database, each with its own data directory (as on two machines): a file and a skill
/// uploaded through A are downloaded, and mounted into a session, through B.
/// </summary>
public sealed class PostgresTwoServerFileTests : IAsyncLifetime
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(120));
    private LucidTestServer? _a;
    private LucidTestServer? _b;

    private LucidTestServer A => _a ?? throw new InvalidOperationException();

    private LucidTestServer B => _b ?? throw new InvalidOperationException();

    private CancellationToken Token => _timeout.Token;

    public async Task InitializeAsync()
    {
        var database = await (await PostgresServer.Shared).CreateDatabaseAsync();
        _a = new LucidTestServer { Database = database };
        _b = new LucidTestServer { Database = database };
        await A.StartAsync();
        await B.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        _timeout.Dispose();
    }

    private static AnthropicClient Client(LucidTestServer server) =>
        new(new ClientOptions { ApiKey = server.AlphaKey, BaseUrl = server.BaseUrl, MaxRetries = 0, ResponseValidation = true });

    [Fact]
    public async Task A_file_and_a_skill_uploaded_through_one_server_are_downloaded_and_mounted_in_a_session_on_the_other()
    {
        Assert.NotEqual(A.DataDirectory, B.DataDirectory);
        var file = await FileServerFixture.UploadAsync(Client(A), "data.csv", "a,b\n1,2\n");
        var skill = await Client(A).Beta.Skills.Create(new SkillCreateParams
        {
            Files = [new BinaryContent { Stream = new MemoryStream(Encoding.UTF8.GetBytes("---\nname: tally\ndescription: Counts rows.\n---\nCOUNT-THE-ROWS\n")), FileName = "tally/SKILL.md" }],
        }, Token);

        using var download = await Client(B).Beta.Files.Download(file.ID, cancellationToken: Token);
        var results = await RunOnBAsync(file.ID, skill.ID, $"cat /mnt/session/uploads/{file.ID}; cat /mnt/skills/tally/SKILL.md");

        Assert.Equal("a,b\n1,2\n", await download.ReadAsString(Token));
        var (text, isError) = Assert.Single(results);
        Assert.False(isError, text);
        Assert.Contains("a,b\n1,2\n", text, StringComparison.Ordinal);
        Assert.Contains("COUNT-THE-ROWS", text, StringComparison.Ordinal);
    }

    // An agent (on a scripted model of B's) runs one bash command in a new session created through B with the file
    // mounted and the skill loaded; returns each tool result's text and error flag.
    private async Task<List<(string Text, bool IsError)>> RunOnBAsync(string fileId, string skillId, string command)
    {
        var model = $"scripted/mounts-{Guid.NewGuid():N}";
        B.Scripted.With(model, new ScriptedChatClient().CallTool("bash", new { command }).Reply("Done."));
        var client = Client(B);
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "mounts",
            Model = new BetaManagedAgentsModelConfigParams { ID = model },
            Tools = [new BetaManagedAgentsAgentToolset20260401Params()],
            Skills = [new BetaManagedAgentsCustomSkillParams { SkillID = skillId }],
        }, Token);
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "mounts" }, Token);
        var session = await client.Beta.Sessions.Create(new SessionCreateParams
        {
            Agent = agent.ID,
            EnvironmentID = environment.ID,
            Resources = [new BetaManagedAgentsFileResourceParams { FileID = fileId }],
            InitialEvents = [new BetaManagedAgentsUserMessageEventParams { Content = [new BetaManagedAgentsTextBlock { Text = "Read them." }] }],
        }, Token);

        var results = new List<(string, bool)>();
        await foreach (var e in client.Beta.Sessions.Events.StreamStreaming(session.ID, new EventStreamParams(), Token))
        {
            var type = e.Json.GetProperty("type").GetString();
            if (type == "agent.tool_result")
            {
                results.Add((string.Concat(e.Json.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("text").GetString())), e.Json.TryGetProperty("is_error", out var error) && error.GetBoolean()));
            }
            else if (type == "session.status_idle")
            {
                break;
            }
        }

        return results;
    }
}
