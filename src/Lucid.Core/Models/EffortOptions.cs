using Lucid.Agents;
using Microsoft.Extensions.AI;

namespace Lucid.Models;

/// <summary>
/// Carries an agent's <see cref="ModelEffort"/> to its provider through <see cref="ChatOptions.Reasoning"/>: low, medium
/// and high as themselves, xhigh and max as <see cref="ReasoningEffort.ExtraHigh"/>. The exact level also travels in
/// <see cref="ChatOptions.AdditionalProperties"/> under <see cref="PropertyName"/>, for a provider client that has a level
/// Microsoft.Extensions.AI cannot express (Anthropic's <c>max</c>).
/// </summary>
public static class EffortOptions
{
    /// <summary>The key of the exact level (the wire name, such as <c>max</c>) in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
    public const string PropertyName = "lucid.effort";

    private static readonly string[] WireNames = ["low", "medium", "high", "xhigh", "max"];

    /// <summary>The wire names of the levels, in order.</summary>
    public static IReadOnlyList<string> Names => WireNames;

    /// <summary>The level's wire name.</summary>
    public static string Name(ModelEffort effort) => WireNames[(int)effort];

    /// <summary>The level a wire name stands for, or null when it names none.</summary>
    public static ModelEffort? Parse(string name) => Array.IndexOf(WireNames, name) is var i and >= 0 ? (ModelEffort)i : null;

    /// <summary>Sets <paramref name="effort"/> on <paramref name="options"/>; null leaves the provider's default.</summary>
    public static void Apply(ChatOptions options, ModelEffort? effort)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (effort is not { } level)
        {
            return;
        }

        options.Reasoning = new ReasoningOptions
        {
            Effort = level switch
            {
                ModelEffort.Low => ReasoningEffort.Low,
                ModelEffort.Medium => ReasoningEffort.Medium,
                ModelEffort.High => ReasoningEffort.High,
                _ => ReasoningEffort.ExtraHigh,
            },
        };
        (options.AdditionalProperties ??= [])[PropertyName] = Name(level);
    }

    /// <summary>The exact level <see cref="Apply"/> set on <paramref name="options"/>, or null.</summary>
    public static ModelEffort? Of(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true && value is string name ? Parse(name) : null;
}
