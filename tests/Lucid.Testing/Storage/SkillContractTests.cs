using System.Text.Json;
using Lucid.Files;
using Lucid.Json;
using Lucid.Skills;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

/// <summary>The skill store contract, written once and run against every backend.</summary>
public abstract class SkillContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static string Json(SkillVersion? version) => version is null ? "null" : JsonSerializer.Serialize(version, LucidJsonContext.Default.SkillVersion);

    private static Skill NewSkill(string id, string workspace = "team", int minute = 0) => new()
    {
        Id = id,
        WorkspaceId = workspace,
        Name = "pdf-forms",
        DisplayName = "PDF forms",
        CreatedAt = T0.AddMinutes(minute),
        UpdatedAt = T0.AddMinutes(minute),
    };

    private static SkillVersion NewVersion(string id, string skillId, int minute = 0, string sha = "aa") => new()
    {
        Id = id,
        SkillId = skillId,
        Name = "pdf-forms",
        Description = "Fills PDF forms.",
        Files = [new SkillFile("SKILL.md", sha, 40), new SkillFile("scripts/fill.py", "bb", 12)],
        CreatedAt = T0.AddMinutes(minute),
    };

    [Fact]
    public async Task A_skill_round_trips_with_its_newest_version_as_latest_even_within_one_instant()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSkillAsync(NewSkill("skill_1"), NewVersion("skver_b", "skill_1"), None);
        Assert.True(await store.AddSkillVersionAsync(NewVersion("skver_a", "skill_1"), None));
        Assert.True(await store.AddSkillVersionAsync(NewVersion("skver_c", "skill_1", minute: 5), None));

        var skill = await store.GetSkillAsync("skill_1", None);
        var versions = await store.ListSkillVersionsAsync("skill_1", new PageRequest(2), None);
        var rest = await store.ListSkillVersionsAsync("skill_1", new PageRequest(2, versions.NextPage), None);

        Assert.Equal(NewSkill("skill_1") with { LatestVersionId = "skver_c", UpdatedAt = T0.AddMinutes(5) }, skill);
        Assert.Equal(["skver_c", "skver_a"], versions.Items.Select(v => v.Id));
        Assert.Equal(["skver_b"], rest.Items.Select(v => v.Id));
        Assert.Null(rest.NextPage);
        Assert.Equal(Json(NewVersion("skver_a", "skill_1")), Json(await store.GetSkillVersionAsync("skill_1", "skver_a", None)));
        Assert.Null(await store.GetSkillVersionAsync("skill_other", "skver_a", None));
        Assert.Null(await store.GetSkillAsync("skill_nope", None));
        Assert.False(await store.AddSkillVersionAsync(NewVersion("skver_x", "skill_nope"), None));
    }

    [Fact]
    public async Task Skills_list_newest_first_per_workspace_in_pages()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSkillAsync(NewSkill("skill_1"), NewVersion("skver_1", "skill_1"), None);
        await store.CreateSkillAsync(NewSkill("skill_2", minute: 1), NewVersion("skver_2", "skill_2"), None);
        await store.CreateSkillAsync(NewSkill("skill_3", minute: 2), NewVersion("skver_3", "skill_3"), None);
        await store.CreateSkillAsync(NewSkill("skill_theirs", workspace: "other", minute: 3), NewVersion("skver_4", "skill_theirs"), None);

        var first = await store.ListSkillsAsync("team", new PageRequest(2), None);
        var second = await store.ListSkillsAsync("team", new PageRequest(2, first.NextPage), None);

        Assert.Equal(["skill_3", "skill_2"], first.Items.Select(s => s.Id));
        Assert.Equal(["skver_3", "skver_2"], first.Items.Select(s => s.LatestVersionId));
        Assert.Equal(["skill_1"], second.Items.Select(s => s.Id));
        Assert.Null(second.NextPage);
    }

    [Fact]
    public async Task Deleting_a_version_moves_latest_back_and_the_only_version_stays()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSkillAsync(NewSkill("skill_1"), NewVersion("skver_1", "skill_1"), None);
        await store.AddSkillVersionAsync(NewVersion("skver_2", "skill_1", minute: 1), None);

        Assert.Equal(SkillVersionDeletion.NotFound, await store.DeleteSkillVersionAsync("skill_1", "skver_nope", T0.AddMinutes(2), None));
        Assert.Equal(SkillVersionDeletion.Deleted, await store.DeleteSkillVersionAsync("skill_1", "skver_2", T0.AddMinutes(2), None));
        Assert.Equal(SkillVersionDeletion.OnlyVersion, await store.DeleteSkillVersionAsync("skill_1", "skver_1", T0.AddMinutes(3), None));

        var skill = await store.GetSkillAsync("skill_1", None);
        Assert.Equal(("skver_1", T0.AddMinutes(2)), (skill?.LatestVersionId, skill?.UpdatedAt));
        Assert.Null(await store.GetSkillVersionAsync("skill_1", "skver_2", None));
    }

    [Fact]
    public async Task Deleting_a_skill_returns_its_versions_and_frees_their_blobs_unless_a_file_uses_one()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateSkillAsync(NewSkill("skill_1"), NewVersion("skver_1", "skill_1", sha: "shared"), None);
        await store.AddSkillVersionAsync(NewVersion("skver_2", "skill_1", sha: "own"), None);
        await store.CreateFileAsync(new StoredFile { Id = "file_1", WorkspaceId = "team", Filename = "f", MimeType = "text/plain", SizeBytes = 1, ContentSha256 = "shared", CreatedAt = T0 }, None);
        Assert.True(await store.BlobInUseAsync("own", None));

        var deleted = await store.DeleteSkillAsync("skill_1", None);

        Assert.Equal(["skver_1", "skver_2"], deleted?.Select(v => v.Id).Order(StringComparer.Ordinal));
        Assert.Null(await store.GetSkillAsync("skill_1", None));
        Assert.Null(await store.GetSkillVersionAsync("skill_1", "skver_1", None));
        Assert.Empty((await store.ListSkillsAsync("team", new PageRequest(), None)).Items);
        Assert.False(await store.BlobInUseAsync("own", None));
        Assert.True(await store.BlobInUseAsync("shared", None));
        Assert.Null(await store.DeleteSkillAsync("skill_1", None));
    }
}
