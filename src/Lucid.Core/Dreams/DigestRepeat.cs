namespace Lucid.Dreams;

/// <summary>A detour inside one session: the same call made again, or the same error met again.</summary>
/// <param name="Kind"><see cref="RepeatedCall"/> or <see cref="RepeatedError"/>.</param>
/// <param name="Tool">The tool's name.</param>
/// <param name="Signature">For a repeated error, its signature; for a repeated call, the input (at most 200 characters).</param>
/// <param name="Count">How many times it happened in all (2 or more).</param>
/// <param name="EventIds">The events (tool uses for calls, tool results for errors).</param>
public sealed record DigestRepeat(string Kind, string Tool, string Signature, int Count, IReadOnlyList<string> EventIds)
{
    /// <summary>The same tool called with the same input more than once.</summary>
    public const string RepeatedCall = "repeated_call";

    /// <summary>The same tool failed with the same error signature more than once.</summary>
    public const string RepeatedError = "repeated_error";
}
