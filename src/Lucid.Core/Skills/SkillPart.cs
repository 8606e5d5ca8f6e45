namespace Lucid.Skills;

/// <summary>One uploaded part of a skill: a file at a relative path (<c>my-skill/SKILL.md</c>), or a zip of the whole folder.</summary>
/// <param name="Filename">The part's file name as sent: the file's path inside the upload, or the zip's name.</param>
/// <param name="ContentType">The part's content type, or null.</param>
/// <param name="Content">The bytes.</param>
public sealed record SkillPart(string? Filename, string? ContentType, Stream Content);
