using System.Text.Json.Serialization;

namespace Lucid.Evals;

/// <summary>
/// One run of a suite (a Lucid extension): its trials as they finish, and once completed the report comparing its
/// arms. Every trial is an ordinary session tagged with <see cref="EvalMetadata"/>.
/// </summary>
public sealed record EvalRun
{
    /// <summary>The run's ID (<c>evalrun_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant workspace it belongs to.</summary>
    public string WorkspaceId { get; init; } = Workspaces.Default;

    /// <summary>What it runs.</summary>
    public required EvalSuite Suite { get; init; }

    /// <summary>
    /// The dream whose lesson this run validates by replay, or null for a run someone asked for. Its sessions carry it as
    /// <see cref="EvalMetadata.ValidatesDreamId"/>, so a dream reading sessions since a time leaves them out.
    /// </summary>
    public string? ValidatesDreamId { get; init; }

    /// <summary>Where it is.</summary>
    public EvalRunStatus Status { get; init; } = EvalRunStatus.Pending;

    /// <summary>The agent its sessions run, once resolved (an inline agent is created when the run starts).</summary>
    public string? AgentId { get; init; }

    /// <summary>The environment its sessions run in, once resolved.</summary>
    public string? EnvironmentId { get; init; }

    /// <summary>The memory store each store-valued arm's sessions mount, by arm name, once resolved.</summary>
    public IReadOnlyDictionary<string, string> ArmStores { get; init; } = new Dictionary<string, string>();

    /// <summary>The finished trials, in the order they finished.</summary>
    public IReadOnlyList<EvalTrial> Trials { get; init; } = [];

    /// <summary>The report, once completed.</summary>
    public EvalReport? Report { get; init; }

    /// <summary>Why it failed, or null.</summary>
    public string? Error { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it reached a final status, or null.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The number of trials it runs: tasks × arms × trials.</summary>
    [JsonIgnore]
    public int TotalTrials => Suite.Tasks.Count * Suite.Arms.Count * Suite.Trials;
}
