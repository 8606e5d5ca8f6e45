using System.Text.Json.Serialization;

namespace Lucid.Outcomes;

/// <summary>A deterministic criterion of an outcome, run in the session's directory before the model grader. A failed check can never be overruled into <c>satisfied</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(CommandCheck), "command")]
[JsonDerivedType(typeof(FileExistsCheck), "file_exists")]
[JsonDerivedType(typeof(PatternCheck), "pattern")]
public abstract record OutcomeCheck
{
    /// <summary>How the check reads in a verdict.</summary>
    [JsonIgnore]
    public abstract string Description { get; }
}

/// <summary>A shell command that must exit 0 in the session's directory (for example the project's tests).</summary>
/// <param name="Command">The command, run with <c>bash -c</c>.</param>
/// <param name="TimeoutMs">How long it may run, in milliseconds; the tool limits apply when null.</param>
public sealed record CommandCheck(string Command, int? TimeoutMs = null) : OutcomeCheck
{
    /// <inheritdoc />
    public override string Description => $"`{Command}` exits 0";
}

/// <summary>A file that must exist in the session's directory.</summary>
/// <param name="Path">The file's path, relative to the session's directory.</param>
public sealed record FileExistsCheck(string Path) : OutcomeCheck
{
    /// <inheritdoc />
    public override string Description => $"{Path} exists";
}

/// <summary>A regular expression that must (or must not) match a file of the session's directory.</summary>
/// <param name="Path">The file's path, relative to the session's directory.</param>
/// <param name="Pattern">A .NET regular expression.</param>
/// <param name="MustMatch">True when the pattern must appear, false when it must not.</param>
public sealed record PatternCheck(string Path, string Pattern, bool MustMatch = true) : OutcomeCheck
{
    /// <inheritdoc />
    public override string Description => $"{Path} {(MustMatch ? "matches" : "does not match")} /{Pattern}/";
}

/// <summary>The result of one deterministic check.</summary>
/// <param name="Check">What was checked.</param>
/// <param name="Passed">Whether it passed.</param>
/// <param name="Output">What it showed: the command's output, or why it failed.</param>
public sealed record CheckResult(string Check, bool Passed, string Output);

/// <summary>One criterion as the grader judged it.</summary>
/// <param name="Criterion">The rubric criterion.</param>
/// <param name="Evidence">What in the deliverable shows it met or not.</param>
/// <param name="Met">Whether it is met.</param>
/// <param name="Fix">What to change when it is not met (empty when met).</param>
public sealed record OutcomeFinding(string Criterion, string Evidence, bool Met, string Fix);
