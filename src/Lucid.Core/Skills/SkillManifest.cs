using System.Text;
using System.Text.RegularExpressions;
using Lucid.Results;

namespace Lucid.Skills;

/// <summary>
/// A SKILL.md: YAML front matter between <c>---</c> lines with <c>name</c> and <c>description</c>, then the instructions.
/// Only top-level scalar keys are read (plain, quoted, or <c>|</c>/<c>&gt;</c> blocks); other keys are left alone.
/// </summary>
/// <param name="Name">The front matter's name, or null when it has none (the upload's directory names the skill then).</param>
/// <param name="Description">The front matter's description.</param>
/// <param name="Instructions">The body after the front matter.</param>
public sealed partial record SkillManifest(string? Name, string Description, string Instructions)
{
    /// <summary>The file every skill has at the root of its directory.</summary>
    public const string FileName = "SKILL.md";

    /// <summary>The longest skill name (the Agent Skills limit).</summary>
    public const int MaxNameLength = 64;

    /// <summary>The longest description (the Agent Skills limit).</summary>
    public const int MaxDescriptionLength = 1024;

    private const string Field = "files";

    /// <summary>Reads a SKILL.md's text; an error names what is missing or malformed.</summary>
    public static Result<SkillManifest> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var end = Array.FindIndex(lines, 1, l => l.TrimEnd() == "---");
        if (lines[0].TrimEnd() != "---" || end < 0)
        {
            return LucidError.Invalid(Field, "SKILL.md must start with YAML front matter between two '---' lines, with a name and a description.");
        }

        var keys = ReadScalars(lines[1..end]);
        if (!keys.TryGetValue("description", out var description) || string.IsNullOrWhiteSpace(description))
        {
            return LucidError.Invalid(Field, "SKILL.md's front matter needs a description: what the skill does and when to use it.");
        }

        description = description.Trim();
        if (description.Length > MaxDescriptionLength || XmlTag().IsMatch(description))
        {
            return LucidError.Invalid(Field, $"SKILL.md's description must be at most {MaxDescriptionLength:N0} characters without XML tags; got {description.Length:N0} characters.");
        }

        var name = keys.TryGetValue("name", out var given) ? given.Trim() : null;
        return name is not null && CheckName(name) is { } error ? error : new SkillManifest(name, description, string.Join('\n', lines[(end + 1)..]).Trim());
    }

    /// <summary>Checks a skill name: 1–64 lowercase letters, digits and single hyphens between them, without a reserved word.</summary>
    public static LucidError? CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength || !Slug().IsMatch(name))
        {
            return LucidError.Invalid(Field, $"The skill name '{Shorten(name)}' must be 1–{MaxNameLength} lowercase letters, digits and hyphens, neither starting nor ending with a hyphen nor with two in a row.");
        }

        return name.Contains("anthropic", StringComparison.Ordinal) || name.Contains("claude", StringComparison.Ordinal)
            ? LucidError.Invalid(Field, $"The skill name '{name}' contains a reserved word ('anthropic' or 'claude').")
            : null;
    }

    // Top-level "key: value" pairs; a value is plain (continued on indented lines), quoted, or a | or > block.
    private static Dictionary<string, string> ReadScalars(string[] lines)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var match = KeyLine().Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var value = match.Groups["value"].Value.Trim();
            var continued = new List<string>();
            while (i + 1 < lines.Length && (lines[i + 1].Length == 0 || char.IsWhiteSpace(lines[i + 1][0])))
            {
                continued.Add(lines[++i]);
            }

            keys[match.Groups["key"].Value] = value switch
            {
                "|" or "|-" or "|+" => string.Join('\n', Dedent(continued)),
                ">" or ">-" or ">+" => Fold(continued),
                _ when value.Length >= 2 && value[0] == '"' && value[^1] == '"' => value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal),
                _ when value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' => value[1..^1].Replace("''", "'", StringComparison.Ordinal),
                _ => string.Join(' ', new[] { value }.Concat(continued.Select(l => l.Trim())).Where(l => l.Length > 0)),
            };
        }

        return keys;
    }

    private static IEnumerable<string> Dedent(List<string> lines)
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim());
    }

    private static string Fold(List<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in Dedent(lines))
        {
            text.Append(line.Length == 0 ? "\n" : (text.Length > 0 && text[^1] != '\n' ? " " : "") + line);
        }

        return text.ToString();
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9_-]+):(?:\s+(?<value>.*))?$")]
    private static partial Regex KeyLine();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex XmlTag();
}
