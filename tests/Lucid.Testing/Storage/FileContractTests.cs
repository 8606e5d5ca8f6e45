using System.Text.Json;
using Lucid.Files;
using Lucid.Json;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

/// <summary>The file store contract, written once and run against every backend.</summary>
public abstract class FileContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static string Json(StoredFile? file) => file is null ? "null" : JsonSerializer.Serialize(file, LucidJsonContext.Default.StoredFile);

    private static StoredFile NewFile(string id, string workspace = "team", int minute = 0, string sha = "aa", string? scope = null) => new()
    {
        Id = id,
        WorkspaceId = workspace,
        Filename = $"{id}.txt",
        MimeType = "text/plain",
        SizeBytes = 12,
        ContentSha256 = sha,
        ScopeSessionId = scope,
        OutputPath = scope is null ? null : $"/{id}.txt",
        CreatedAt = T0.AddMinutes(minute),
        ExpiresAt = T0.AddDays(1),
    };

    [Fact]
    public async Task Files_round_trip_and_list_newest_first_per_workspace_in_pages()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateFileAsync(NewFile("file_1"), None);
        await store.CreateFileAsync(NewFile("file_2", minute: 1), None);
        await store.CreateFileAsync(NewFile("file_3", minute: 2), None);
        await store.CreateFileAsync(NewFile("file_other", workspace: "other", minute: 3), None);

        var first = await store.ListFilesAsync("team", null, new PageRequest(2), None);
        var second = await store.ListFilesAsync("team", null, new PageRequest(2, first.NextPage), None);

        Assert.Equal(Json(NewFile("file_1")), Json(await store.GetFileAsync("file_1", None)));
        Assert.Null(await store.GetFileAsync("file_nope", None));
        Assert.Equal(["file_3", "file_2"], first.Items.Select(f => f.Id));
        Assert.Equal(["file_1"], second.Items.Select(f => f.Id));
        Assert.Null(second.NextPage);
    }

    [Fact]
    public async Task Files_filter_by_the_session_they_are_scoped_to()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateFileAsync(NewFile("file_upload"), None);
        await store.CreateFileAsync(NewFile("file_out", minute: 1, scope: "sesn_1"), None);
        await store.CreateFileAsync(NewFile("file_elsewhere", minute: 2, scope: "sesn_2"), None);

        var scoped = await store.ListFilesAsync("team", "sesn_1", new PageRequest(20), None);

        Assert.Equal(["file_out"], scoped.Items.Select(f => f.Id));
        Assert.Equal(Json(NewFile("file_out", minute: 1, scope: "sesn_1")), Json(scoped.Items[0]));
    }

    [Fact]
    public async Task A_blob_is_in_use_while_any_file_has_its_content()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateFileAsync(NewFile("file_1", sha: "shared"), None);
        await store.CreateFileAsync(NewFile("file_2", sha: "shared"), None);

        Assert.True(await store.DeleteFileAsync("file_1", None));
        Assert.True(await store.BlobInUseAsync("shared", None));
        Assert.True(await store.DeleteFileAsync("file_2", None));
        Assert.False(await store.BlobInUseAsync("shared", None));
        Assert.False(await store.DeleteFileAsync("file_2", None));
        Assert.Null(await store.GetFileAsync("file_2", None));
    }
}
