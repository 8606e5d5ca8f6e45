using System.Net;
using System.Text;
using Anthropic.Exceptions;
using Anthropic.Models.Beta.Files;

namespace Lucid.Conformance.Tests;

/// <summary>The Files API through the official SDK: upload, metadata, list, download, delete, limits and tenancy.</summary>
[Collection(FileServerGroup.Name)]
public sealed class FileConformanceTests(FileServerFixture fixture)
{
    [Fact]
    public async Task A_file_is_uploaded_read_listed_downloaded_and_deleted()
    {
        var files = fixture.Alpha.Beta.Files;
        var uploaded = await FileServerFixture.UploadAsync(fixture.Alpha, "dir/notes.md", "# Notes\nkeep this", "text/markdown");
        var read = await files.RetrieveMetadata(uploaded.ID);
        using var download = await files.Download(uploaded.ID);
        var content = await download.ReadAsString(CancellationToken.None);

        uploaded.Validate();
        Assert.StartsWith("file_", uploaded.ID, StringComparison.Ordinal);
        Assert.Equal("notes.md", uploaded.Filename);
        Assert.Equal("text/markdown", uploaded.MimeType);
        Assert.Equal(Encoding.UTF8.GetByteCount("# Notes\nkeep this"), uploaded.SizeBytes);
        Assert.Null(uploaded.Scope);
        Assert.Equal(uploaded.ID, read.ID);
        Assert.Equal("# Notes\nkeep this", content);
        Assert.Equal("text/markdown", download.RawMessage.Content.Headers.ContentType?.MediaType);

        var deleted = await files.Delete(uploaded.ID);

        Assert.Equal(uploaded.ID, deleted.ID);
        var gone = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => files.RetrieveMetadata(uploaded.ID));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Files_list_newest_first_in_pages_and_by_ids()
    {
        var client = fixture.Client(fixture.Server.BetaKey);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await FileServerFixture.UploadAsync(client, $"list-{i}.txt", $"file {i}")).ID);
        }

        var first = await client.Beta.Files.List(new FileListParams { Limit = 2 });
        var all = new List<string>();
        for (var page = first; ; page = await page.Next())
        {
            all.AddRange(page.Items.Select(f => f.ID));
            if (!page.HasNext())
            {
                break;
            }
        }

        var byIds = await client.Beta.Files.List(new FileListParams { Ids = [ids[0], "file_missing", ids[2]] });

        Assert.Equal(2, first.Items.Count);
        Assert.True(first.HasNext());
        Assert.Equal(ids.AsEnumerable().Reverse(), all.Where(ids.Contains));
        Assert.Equal([ids[2], ids[0]], byIds.Items.Select(f => f.ID).OrderByDescending(ids.IndexOf));
        foreach (var id in ids)
        {
            await client.Beta.Files.Delete(id);
        }
    }

    [Fact]
    public async Task Another_workspaces_file_is_not_found()
    {
        var theirs = await FileServerFixture.UploadAsync(fixture.Alpha, "private.txt", "alpha only");

        var read = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Beta.Beta.Files.RetrieveMetadata(theirs.ID));
        var download = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Beta.Beta.Files.Download(theirs.ID));
        var delete = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => fixture.Beta.Beta.Files.Delete(theirs.ID));
        var listed = await fixture.Beta.Beta.Files.List(new FileListParams { Ids = [theirs.ID] });

        Assert.All([read, download, delete], e => Assert.Equal(HttpStatusCode.NotFound, e.StatusCode));
        Assert.Empty(listed.Items);
        Assert.Equal(theirs.ID, (await fixture.Alpha.Beta.Files.RetrieveMetadata(theirs.ID)).ID);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_with_413_and_nothing_is_kept()
    {
        var before = await fixture.Server.SnapshotAsync();

        var refused = await Assert.ThrowsAnyAsync<AnthropicApiException>(
            () => FileServerFixture.UploadAsync(fixture.Alpha, "big.bin", new byte[FileServerFixture.MaxFileBytes + 1], "application/octet-stream"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("request_too_large", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"{FileServerFixture.MaxFileBytes:N0} bytes", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.Server.SnapshotAsync());
    }

    [Fact]
    public async Task An_upload_without_a_file_part_or_with_a_bad_lifetime_is_a_400()
    {
        using var http = fixture.Server.Http(fixture.Server.AlphaKey);
        using var empty = new MultipartFormDataContent { { new StringContent("x"), "not_file" } };
        using var shortLived = new MultipartFormDataContent { { new ByteArrayContent([1]), "file", "a.bin" }, { new StringContent("60"), "expires_in_seconds" } };

        var missing = await http.PostAsync("/v1/files", empty);
        var lifetime = await http.PostAsync("/v1/files", shortLived);

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("'file'", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, lifetime.StatusCode);
        Assert.Contains("expires_in_seconds", await lifetime.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
