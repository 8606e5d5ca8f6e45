using System.Text;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Files;

/// <summary>
/// The Files API: upload, read, list, download and delete files of a workspace. Metadata goes to the store, bytes to
/// the blob store, where files (and skill versions' files) with the same content share one blob; a blob is removed with the
/// last file or skill version using it.
/// </summary>
public sealed class FileService(IFileStore store, IBlobStore blobs, FileStoreOptions options, TimeProvider time, IdGenerator ids)
{
    /// <summary>The longest file name kept.</summary>
    public const int MaxFilenameLength = 255;

    /// <summary>The settings: blob directory and size limit.</summary>
    public FileStoreOptions Options => options;

    /// <summary>Stores an upload as a new file of the workspace. Nothing is kept when it is invalid or too large.</summary>
    public async Task<Result<StoredFile>> UploadAsync(string workspaceId, FileUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.ExpiresInSeconds is { } seconds and (< FileUpload.MinExpiresInSeconds or > FileUpload.MaxExpiresInSeconds))
        {
            return LucidError.Invalid("expires_in_seconds", $"expires_in_seconds must be between {FileUpload.MinExpiresInSeconds:N0} and {FileUpload.MaxExpiresInSeconds:N0}; got {seconds:N0}.");
        }

        var mimeType = string.IsNullOrWhiteSpace(upload.MimeType) ? null : upload.MimeType.Split(';')[0].Trim();
        var filename = Path.GetFileName((upload.Filename ?? "").Replace('\\', '/'));
        if (filename.Length == 0)
        {
            filename = "unnamed" + MimeTypes.ExtensionOf(mimeType ?? "");
        }

        if (filename.Length > MaxFilenameLength)
        {
            return LucidError.Invalid("file", $"The file's name may have at most {MaxFilenameLength} characters; got {filename.Length:N0}.");
        }

        var stored = await PutAsync(upload.Content, cancellationToken);
        if (!stored.IsSuccess)
        {
            return stored.Error;
        }

        var now = time.GetUtcNow();
        var file = new StoredFile
        {
            Id = ids.NewId(IdPrefixes.File),
            WorkspaceId = workspaceId,
            Filename = filename,
            MimeType = mimeType ?? MimeTypes.Of(filename),
            SizeBytes = stored.Value.SizeBytes,
            ContentSha256 = stored.Value.Sha256,
            CreatedAt = now,
            ExpiresAt = upload.ExpiresInSeconds is { } lifetime ? now.AddSeconds(lifetime) : null,
        };
        await store.CreateFileAsync(file, cancellationToken);
        return file;
    }

    /// <summary>Records bytes a session wrote under its outputs directory as a file scoped to the session.</summary>
    public async Task<Result<StoredFile>> AddOutputAsync(string workspaceId, string sessionId, string outputPath, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outputPath);
        var stored = await PutAsync(content, cancellationToken);
        if (!stored.IsSuccess)
        {
            return stored.Error;
        }

        var filename = Path.GetFileName(outputPath);
        var file = new StoredFile
        {
            Id = ids.NewId(IdPrefixes.File),
            WorkspaceId = workspaceId,
            Filename = filename.Length > MaxFilenameLength ? filename[..MaxFilenameLength] : filename,
            MimeType = MimeTypes.Of(filename),
            SizeBytes = stored.Value.SizeBytes,
            ContentSha256 = stored.Value.Sha256,
            ScopeSessionId = sessionId,
            OutputPath = outputPath,
            CreatedAt = time.GetUtcNow(),
        };
        await store.CreateFileAsync(file, cancellationToken);
        return file;
    }

    /// <summary>Returns a file of the workspace, or a not-found error (another workspace's file is not found either).</summary>
    public async Task<Result<StoredFile>> GetAsync(string workspaceId, string fileId, CancellationToken cancellationToken)
    {
        var file = IdPrefixes.Has(fileId, IdPrefixes.File) ? await store.GetFileAsync(fileId, cancellationToken) : null;
        return file is null || file.WorkspaceId != workspaceId ? LucidError.NotFound("File", fileId) : file;
    }

    /// <summary>Lists the workspace's files, newest first; only a session's outputs when <paramref name="scopeSessionId"/> is set.</summary>
    public Task<Page<StoredFile>> ListAsync(string workspaceId, string? scopeSessionId, PageRequest page, CancellationToken cancellationToken) =>
        store.ListFilesAsync(workspaceId, scopeSessionId, page, cancellationToken);

    /// <summary>Opens a file's bytes; an expired file's bytes are gone (not found).</summary>
    public async Task<Result<(StoredFile File, Stream Content)>> OpenAsync(string workspaceId, string fileId, CancellationToken cancellationToken)
    {
        var file = await GetAsync(workspaceId, fileId, cancellationToken);
        if (!file.IsSuccess)
        {
            return file.Error;
        }

        if (file.Value.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return new LucidError(ErrorKind.NotFound, $"File '{fileId}' expired at {expires:O}; its content is no longer available.");
        }

        var content = await blobs.OpenAsync(file.Value.ContentSha256, cancellationToken)
            ?? throw new InvalidOperationException($"The content of file {fileId} ({file.Value.ContentSha256}) is missing from the blob store.");
        return (file.Value, content);
    }

    /// <summary>A file's content as UTF-8 text of at most <paramref name="maxCharacters"/>, or an error naming <paramref name="field"/>.</summary>
    public async Task<Result<string>> ReadTextAsync(string workspaceId, string fileId, int maxCharacters, string field, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(workspaceId, fileId, cancellationToken);
        if (!opened.IsSuccess)
        {
            return opened.Error;
        }

        await using var content = opened.Value.Content;
        if (opened.Value.File.SizeBytes > maxCharacters * 4L)
        {
            return LucidError.Invalid(field, $"File '{fileId}' is {opened.Value.File.SizeBytes:N0} bytes; a text of at most {maxCharacters:N0} characters is needed here.");
        }

        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            return LucidError.Invalid(field, $"File '{fileId}' ({opened.Value.File.Filename}) is not UTF-8 text.");
        }

        return text.Length > maxCharacters
            ? LucidError.Invalid(field, $"File '{fileId}' has {text.Length:N0} characters; at most {maxCharacters:N0} are allowed here.")
            : text;
    }

    /// <summary>Deletes a file of the workspace, and its blob when no other file or skill version has the same content.</summary>
    public async Task<Result<StoredFile>> DeleteAsync(string workspaceId, string fileId, CancellationToken cancellationToken)
    {
        var file = await GetAsync(workspaceId, fileId, cancellationToken);
        if (!file.IsSuccess || !await store.DeleteFileAsync(fileId, cancellationToken))
        {
            return file.IsSuccess ? LucidError.NotFound("File", fileId) : file;
        }

        if (!await store.BlobInUseAsync(file.Value.ContentSha256, cancellationToken))
        {
            await blobs.DeleteAsync(file.Value.ContentSha256, cancellationToken);
        }

        return file;
    }

    private async Task<Result<StoredBlob>> PutAsync(Stream content, CancellationToken cancellationToken) =>
        await blobs.PutAsync(content, options.MaxFileBytes, cancellationToken) is { } blob
            ? blob
            : LucidError.TooLarge($"The file is larger than this server's limit of {options.MaxFileBytes:N0} bytes (files.max_file_bytes).");
}
