using System.Text.Json.Serialization;
using Lucid.Agents;

namespace Lucid.Events;

/// <summary>
/// The <c>evaluation</c> of a tool call: which permission policy decided it and, under <c>auto</c>, the reviewer's
/// judgement. Absent when the call was refused before any policy applied (an unknown tool).
/// </summary>
public sealed record ToolEvaluation
{
    /// <summary>The policy that produced the call's <c>evaluated_permission</c>.</summary>
    [JsonPropertyName("type")]
    public required PermissionPolicy Policy { get; init; }

    /// <summary>Under <see cref="PermissionPolicy.Auto"/>, the reviewer's judgement; null under the other policies.</summary>
    public AutoJudgement? EvaluatedPermission { get; init; }

    /// <summary>The evaluation of a call decided by <paramref name="policy"/> alone (not <see cref="PermissionPolicy.Auto"/>).</summary>
    public static ToolEvaluation Of(PermissionPolicy policy) => new() { Policy = policy };
}

/// <summary>A reviewer's judgement of one tool call under the <c>auto</c> permission policy.</summary>
public sealed record AutoJudgement
{
    /// <summary>Why the reviewer judged the call high-risk.</summary>
    public const string HighRisk = "high_risk";

    /// <summary>
    /// Why a call the reviewer reached no judgement on is held for the client (the reviewer answered <c>ask</c>) or
    /// denied (it failed, timed out or answered unreadably).
    /// </summary>
    public const string Indeterminate = "indeterminate";

    /// <summary>
    /// <see cref="ToolPermissions.Allow"/>, <see cref="ToolPermissions.Ask"/> or <see cref="ToolPermissions.Deny"/>; always
    /// the event's <c>evaluated_permission</c>.
    /// </summary>
    public required string Type { get; init; }

    /// <summary>For a held or denied call, <see cref="HighRisk"/> or <see cref="Indeterminate"/>; null for an allowed call.</summary>
    public string? ReasonCode { get; init; }

    /// <summary>Lucid extension: the reviewer's reason in its own words, or why no judgement was reached.</summary>
    public required string Reason { get; init; }

    /// <summary>Whether the call is refused outright.</summary>
    [JsonIgnore]
    public bool Denies => Type == ToolPermissions.Deny;

    /// <summary>The reviewer allows the call.</summary>
    public static AutoJudgement Allowed(string reason) => new() { Type = ToolPermissions.Allow, Reason = reason };

    /// <summary>
    /// The reviewer could not judge the call and leaves it to the client: it is held for a <c>user.tool_confirmation</c>,
    /// as under <c>always_ask</c>.
    /// </summary>
    public static AutoJudgement Asked(string reason) => new() { Type = ToolPermissions.Ask, ReasonCode = Indeterminate, Reason = reason };

    /// <summary>The reviewer judged the call high-risk.</summary>
    public static AutoJudgement Denied(string reason) => new() { Type = ToolPermissions.Deny, ReasonCode = HighRisk, Reason = reason };

    /// <summary>No judgement was reached, so the call is denied (fail closed); <paramref name="cause"/> says why.</summary>
    public static AutoJudgement Undecided(string cause) => new() { Type = ToolPermissions.Deny, ReasonCode = Indeterminate, Reason = cause };
}
