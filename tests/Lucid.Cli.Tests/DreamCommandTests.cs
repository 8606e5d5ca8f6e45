using System.Text.Json;
using System.Text.RegularExpressions;
using Lucid.Events;
using Lucid.Memory;
using Lucid.Sessions;
using Lucid.Storage.Sqlite;
using Lucid.Testing.Providers;

namespace Lucid.Cli.Tests;

public sealed class DreamCommandTests : IAsyncLifetime, IDisposable
{
    private readonly FakeOpenAIServer _openai = new();
    private readonly CliHarness _cli = new();

    public async Task InitializeAsync()
    {
        await _openai.StartAsync();
        _cli.Environment["OPENAI_API_KEY"] = "sk-local";
        _cli.Environment["OPENAI_BASE_URL"] = _openai.ApiBaseUrl;
    }

    public async Task DisposeAsync() => await _openai.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    // A store with one old lesson and a session that failed a deploy and fixed it with --wait; the model proposes a
    // lesson for the fix and retires the old one.
    private async Task<string> SeedAsync()
    {
        string storeId;
        await using (var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None))
        {
            var memory = new MemoryService(store);
            storeId = (await memory.CreateStoreAsync(Workspaces.Default, "Lessons", null, null, CancellationToken.None)).Value!.Id;
            await memory.CreateMemoryAsync(Workspaces.Default, storeId, "/lessons/old.md", "Never retry a deploy.", MemoryActor.User("me"), CancellationToken.None);
            var now = DateTimeOffset.UtcNow;
            await store.CreateSessionAsync(new Session { Id = "sesn_cli", AgentId = "agent_x", AgentVersion = 1, EnvironmentId = "env_x", WorkDirectory = _cli.Home, CreatedAt = now, UpdatedAt = now }, CancellationToken.None);
            await store.AppendAsync("sesn_cli",
            [
                new UserMessageEvent { Id = "sevt_task", ProcessedAt = now, Content = [new TextBlock("Deploy.")] },
                new AgentToolUseEvent { Id = "sevt_use1", ProcessedAt = now, Name = "bash", Input = JsonElement.Parse("""{"command":"deploy"}"""), EvaluatedPermission = "allow" },
                new AgentToolResultEvent { Id = "sevt_err1", ProcessedAt = now, ToolUseId = "sevt_use1", Content = [new TextBlock("Error: lock held")], IsError = true },
                new AgentToolUseEvent { Id = "sevt_use2", ProcessedAt = now, Name = "bash", Input = JsonElement.Parse("""{"command":"deploy --wait"}"""), EvaluatedPermission = "allow" },
                new AgentToolResultEvent { Id = "sevt_ok2", ProcessedAt = now, ToolUseId = "sevt_use2", Content = [new TextBlock("deployed")] },
            ], CancellationToken.None);
        }

        _openai.ReplyText("""{"lessons":[{"title":"Wait for the deploy lock","when":"deploy fails with 'lock held'","do":"Retry with --wait.","evidence":["sevt_err1","sevt_use2"]}]}""");
        _openai.ReplyText("""{"operations":[{"op":"add","path":"/lessons/deploy-lock.md","sources":[],"title":"Wait for the deploy lock","when":"deploy fails with 'lock held'","do":"Retry with --wait.","evidence":["sevt_err1","sevt_use2"],"reason":"The retry with --wait fixed it."},{"op":"retire","path":"/lessons/old.md","sources":[],"title":"","when":"","do":"","evidence":["sevt_use2"],"reason":"A retry with --wait worked."}]}""");
        return storeId;
    }

    [Fact]
    public async Task Dream_prints_each_stage_then_show_prints_the_report_and_the_diff()
    {
        var storeId = await SeedAsync();

        var (code, output) = await _cli.RunAsync("dream", "--store", storeId, "--sessions", "sesn_cli", "--model", "openai/test", "--instructions", "Deploys only.");

        Assert.True(code == 0, output);
        Assert.Contains("digest   Digested 1 sessions (5 events).", output, StringComparison.Ordinal);
        Assert.Contains("reflect  1 candidate lessons", output, StringComparison.Ordinal);
        Assert.Contains("curate   Curation attempt 1 accepted: add /lessons/deploy-lock.md, retire /lessons/old.md", output, StringComparison.Ordinal);
        Assert.Contains("completed: output store memstore_", output, StringComparison.Ordinal);
        var id = Regex.Match(output, @"lucid dream show (drm_\w+)").Groups[1].Value;

        (code, output) = await _cli.RunAsync("dream", "show", id);

        Assert.True(code == 0, output);
        Assert.Contains($"dream {id}: completed", output, StringComparison.Ordinal);
        Assert.Contains("### Added `/lessons/deploy-lock.md`", output, StringComparison.Ordinal);
        Assert.Contains("+ /lessons/deploy-lock.md", output, StringComparison.Ordinal);
        Assert.Contains("    + **What to do:** Retry with --wait.", output, StringComparison.Ordinal);
        Assert.Contains("- /lessons/old.md", output, StringComparison.Ordinal);
        Assert.Contains("    - Never retry a deploy.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dream_validate_shows_the_plan_before_any_trial_and_each_lessons_result_in_a_table()
    {
        var storeId = await SeedAsync();

        var (code, output) = await _cli.RunAsync("dream", "--store", storeId, "--sessions", "sesn_cli", "--model", "openai/test", "--validate", "--validate-trials", "3", "--max-trials", "50");

        Assert.True(code == 0, output);
        Assert.Contains("validation by replay: 3 trials per task per arm, 1 unrelated tasks per lesson, min lift 0.00; at most 50 trial sessions", output, StringComparison.Ordinal);
        Assert.Contains("validate Validation by replay: 1 lessons, 0 with tasks to replay; 0 trial sessions", output, StringComparison.Ordinal);
        Assert.Contains("validate /lessons/deploy-lock.md: kept, not measured: none of the sessions its evidence comes from is a trial of an eval run", output, StringComparison.Ordinal);
        Assert.Matches(@"/lessons/deploy-lock\.md\s+│\s+–\s+│.*kept, not measured", output);
        var id = Regex.Match(output, @"lucid dream show (drm_\w+)").Groups[1].Value;

        (code, output) = await _cli.RunAsync("dream", "show", id);

        Assert.True(code == 0, output);
        Assert.Contains("kept, not measured", output, StringComparison.Ordinal);
        Assert.Contains("## Validation by replay", output, StringComparison.Ordinal);
        Assert.Contains("| `/lessons/deploy-lock.md` | – | – | – | – | – | – | – | kept (not measured:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--min-lift", "0.1", "add --validate to ask for it")]
    [InlineData("--max-trials", "0", "--max-trials: validation.max_trials must be from 1 to 10000, not 0.")]
    public async Task Dream_validation_settings_need_validate_and_a_valid_range(string option, string value, string error)
    {
        var storeId = await SeedAsync();
        string[] args = error.StartsWith("add", StringComparison.Ordinal)
            ? ["dream", "--store", storeId, "--sessions", "sesn_cli", "--model", "openai/test", option, value]
            : ["dream", "--store", storeId, "--sessions", "sesn_cli", "--model", "openai/test", "--validate", option, value];

        var (code, output) = await _cli.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains(error, output.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.DoesNotContain("drm_", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_a_proposed_skill_creates_it_in_the_local_store()
    {
        string storeId;
        await using (var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None))
        {
            storeId = (await new MemoryService(store).CreateStoreAsync(Workspaces.Default, "Skills", null, null, CancellationToken.None)).Value!.Id;
            var now = DateTimeOffset.UtcNow;
            foreach (var i in new[] { 1, 2, 3 })
            {
                await store.CreateSessionAsync(new Session { Id = $"sesn_s{i}", AgentId = "agent_x", AgentVersion = 1, EnvironmentId = "env_x", WorkDirectory = _cli.Home, CreatedAt = now, UpdatedAt = now }, CancellationToken.None);
                await store.AppendAsync($"sesn_s{i}",
                [
                    new UserMessageEvent { Id = $"sevt_s{i}_task", ProcessedAt = now, Content = [new TextBlock("Book a trip.")] },
                    new AgentToolUseEvent { Id = $"sevt_s{i}_use1", ProcessedAt = now, Name = "get_user", Input = JsonElement.Parse("{}"), EvaluatedPermission = "allow" },
                    new AgentToolResultEvent { Id = $"sevt_s{i}_ok1", ProcessedAt = now, ToolUseId = $"sevt_s{i}_use1", Content = [new TextBlock("Ana")] },
                    new AgentToolUseEvent { Id = $"sevt_s{i}_use2", ProcessedAt = now, Name = "book", Input = JsonElement.Parse("{}"), EvaluatedPermission = "allow" },
                    new AgentToolResultEvent { Id = $"sevt_s{i}_ok2", ProcessedAt = now, ToolUseId = $"sevt_s{i}_use2", Content = [new TextBlock("booked")] },
                    new SpanOutcomeEvaluationEndEvent { Id = $"sevt_s{i}_eval", ProcessedAt = now, OutcomeId = "outc_x", OutcomeEvaluationStartId = "sevt_start", Iteration = 0, Result = Outcomes.OutcomeResult.Satisfied, Explanation = "ok" },
                ], CancellationToken.None);
            }
        }

        _openai.ReplyText("""{"lessons":[]}""");
        _openai.ReplyText("""{"operations":[{"op":"add_skill","path":"look-up-and-book","sources":[],"title":"Books a trip for a known user.","when":"A user asks to book a trip.","do":"Look the user up.\nBook the trip.","evidence":["sevt_s1_use1","sevt_s2_use1","sevt_s3_use2"],"reason":"Passed three times."}]}""");

        var (code, output) = await _cli.RunAsync("dream", "--store", storeId, "--sessions", "sesn_s1", "sesn_s2", "sesn_s3", "--model", "openai/test", "--review");
        Assert.True(code == 0, output);
        var id = Regex.Match(output, @"lucid dream changes (drm_\w+)").Groups[1].Value;

        (code, output) = await _cli.RunAsync("dream", "changes", id);
        Assert.True(code == 0, output);
        var change = Regex.Match(output, @"(dchg_\w+) add_skill look-up-and-book").Groups[1].Value;
        Assert.Contains("  workflow: get_user → book", output, StringComparison.Ordinal);
        Assert.Contains("    + 2. Book the trip.", output, StringComparison.Ordinal);

        (code, output) = await _cli.RunAsync("dream", "accept", id, change);
        Assert.True(code == 0, output);
        var skill = Regex.Match(output, @"created skill (skill_\w+) version (skver_\w+)");
        Assert.True(skill.Success, output);

        (code, output) = await _cli.RunAsync("skills", "versions", skill.Groups[1].Value);
        Assert.True(code == 0, output);
        Assert.Contains(skill.Groups[2].Value, output, StringComparison.Ordinal);
        Assert.Contains("Books a trip for a known user.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dream_review_writes_only_the_accepted_change_after_finish()
    {
        var storeId = await SeedAsync();

        var (code, output) = await _cli.RunAsync("dream", "--store", storeId, "--sessions", "sesn_cli", "--model", "openai/test", "--review");

        Assert.True(code == 0, output);
        Assert.Contains("waiting for review: 2 proposed changes, nothing written yet", output, StringComparison.Ordinal);
        var id = Regex.Match(output, @"lucid dream changes (drm_\w+)").Groups[1].Value;

        (code, output) = await _cli.RunAsync("dream", "changes", id);
        Assert.True(code == 0, output);
        var changes = Regex.Matches(output, @"(dchg_\w+) (add|retire) ").Select(m => (Id: m.Groups[1].Value, Op: m.Groups[2].Value)).ToList();
        Assert.Equal(["add", "retire"], changes.Select(c => c.Op));
        Assert.Contains("    + **What to do:** Retry with --wait.", output, StringComparison.Ordinal);
        Assert.Contains("    - Never retry a deploy.", output, StringComparison.Ordinal);

        Assert.Equal(0, (await _cli.RunAsync("dream", "accept", id, changes[0].Id)).ExitCode);
        (code, output) = await _cli.RunAsync("dream", "finish", id);
        Assert.Equal(1, code);
        Assert.Contains("still pending", output, StringComparison.Ordinal);
        Assert.Equal(0, (await _cli.RunAsync("dream", "reject", id, changes[1].Id)).ExitCode);
        (code, output) = await _cli.RunAsync("dream", "accept", id, changes[1].Id);
        Assert.Equal(1, code);
        Assert.Contains("already rejected", output, StringComparison.Ordinal);

        (code, output) = await _cli.RunAsync("dream", "finish", id);
        Assert.True(code == 0, output);
        Assert.Contains("completed: wrote 1 accepted changes", output, StringComparison.Ordinal);

        (code, output) = await _cli.RunAsync("dream", "show", id);
        Assert.True(code == 0, output);
        Assert.Contains("+ /lessons/deploy-lock.md", output, StringComparison.Ordinal);
        Assert.DoesNotContain("- /lessons/old.md", output, StringComparison.Ordinal);
        Assert.Contains("### Not retired `/lessons/old.md`", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dream_cancel_ends_a_dream_left_running_and_releases_its_store()
    {
        string storeId;
        string dreamId;
        await using (var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None))
        {
            var memory = new MemoryService(store);
            storeId = (await memory.CreateStoreAsync(Workspaces.Default, "Lessons", null, null, CancellationToken.None)).Value!.Id;
            var now = DateTimeOffset.UtcNow;
            await store.CreateSessionAsync(new Session { Id = "sesn_cli", AgentId = "agent_x", AgentVersion = 1, EnvironmentId = "env_x", WorkDirectory = _cli.Home, CreatedAt = now, UpdatedAt = now }, CancellationToken.None);
            var dream = new Lucid.Dreams.Dream
            {
                Id = "drm_left", InputStoreId = storeId, SessionIds = ["sesn_cli"], Model = "openai/test", Status = Lucid.Dreams.DreamStatus.Running,
                OutputBehavior = Lucid.Dreams.DreamOutputBehavior.UpdateExisting, CreatedAt = now,
            };
            Assert.Null(await store.CreateDreamAsync(dream, CancellationToken.None));
            dreamId = dream.Id;
        }

        var (code, output) = await _cli.RunAsync("dream", "cancel", dreamId);
        Assert.True(code == 0, output);
        Assert.Contains($"dream {dreamId}: canceled", output, StringComparison.Ordinal);

        (code, output) = await _cli.RunAsync("dream", "cancel", dreamId);
        Assert.True(code == 0, output);

        await using (var store = await SqliteStore.OpenAsync(Path.Combine(_cli.Home, "lucid.db"), CancellationToken.None))
        {
            var held = new Lucid.Dreams.Dream
            {
                Id = "drm_next", InputStoreId = storeId, SessionIds = ["sesn_cli"], Model = "openai/test",
                OutputBehavior = Lucid.Dreams.DreamOutputBehavior.UpdateExisting, CreatedAt = DateTimeOffset.UtcNow,
            };
            Assert.Null(await store.CreateDreamAsync(held, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Dream_show_of_an_update_existing_dream_lists_the_versions_it_wrote()
    {
        var storeId = await SeedAsync();
        var (code, output) = await _cli.RunAsync("dream", "--store", storeId, "--sessions", "sesn_cli", "--model", "openai/test", "--update-existing");
        Assert.True(code == 0, output);
        var id = Regex.Match(output, @"lucid dream show (drm_\w+)").Groups[1].Value;

        (code, output) = await _cli.RunAsync("dream", "show", id);

        Assert.True(code == 0, output);
        Assert.Contains($"output {storeId}", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\+ /lessons/deploy-lock\.md \(memver_\w+\)", output);
        Assert.Matches(@"\n- /lessons/old\.md \(memver_\w+\)", output);
        Assert.Matches($@"\n\+ /dreams/{id}\.md \(memver_\w+\)", output);
        Assert.DoesNotContain("    + ", output, StringComparison.Ordinal);
    }
}
