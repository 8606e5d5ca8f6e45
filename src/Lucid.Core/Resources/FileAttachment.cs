namespace Lucid.Resources;

/// <summary>What a caller asks for when mounting a file into a session.</summary>
/// <param name="FileId">The file, of the caller's workspace.</param>
/// <param name="MountPath">Where it appears in the sandbox, or null for <c>/mnt/session/uploads/&lt;file_id&gt;</c>.</param>
public sealed record FileAttachment(string FileId, string? MountPath = null);
