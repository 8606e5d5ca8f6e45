using System.Globalization;
using Lucid.Deployments;
using Lucid.Dreams;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;

namespace Lucid.Learning;

/// <summary>What a caller sets on a learning policy: every field when creating; when updating, the non-null ones.</summary>
public sealed record LearningDraft
{
    /// <summary>The deployment (create only).</summary>
    public string? DeploymentId { get; init; }

    /// <summary>The memory store (create only).</summary>
    public string? MemoryStoreId { get; init; }

    /// <summary>When it dreams.</summary>
    public LearningTrigger? Trigger { get; init; }

    /// <summary>The dreams' model.</summary>
    public string? Model { get; init; }

    /// <summary>The dreams' guidance; "" clears it on update.</summary>
    public string? Instructions { get; init; }

    /// <summary>Whether dreams wait for review.</summary>
    public bool? ReviewRequired { get; init; }

    /// <summary>Whether it dreams at all.</summary>
    public bool? Enabled { get; init; }
}

/// <summary>
/// A workspace's learning policies: create, update, delete. Every input is checked before anything is stored: the
/// deployment exists and is not archived, the store is one its sessions mount and has no other policy, the trigger is
/// a count of 1–100 or a valid cron schedule, and the model is one a dream can run on.
/// </summary>
public sealed class LearningService(ILucidStore store, DreamService dreams, TimeProvider? timeProvider = null, IdGenerator? ids = null)
{
    /// <summary>The most graded sessions a count trigger may wait for: a dream reads at most this many.</summary>
    public const int MaxGradedSessions = DreamService.MaxSessions;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly IdGenerator _ids = ids ?? IdGenerator.Random;

    /// <summary>Called after a policy changed, so a scheduler can look again.</summary>
    public Action? Changed { get; init; }

    /// <summary>Creates a policy.</summary>
    public async Task<Result<LearningPolicy>> CreateAsync(string workspaceId, LearningDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.DeploymentId is null || !IdPrefixes.Has(draft.DeploymentId, IdPrefixes.Deployment))
        {
            return LucidError.Invalid("deployment_id", "deployment_id must be a deployment ID (depl_…).");
        }

        if (draft.MemoryStoreId is null || draft.Trigger is null || draft.Model is null)
        {
            return LucidError.Invalid(draft.MemoryStoreId is null ? "memory_store_id" : draft.Trigger is null ? "trigger" : "model",
                "memory_store_id, trigger and model are required.");
        }

        var deployment = await store.GetDeploymentAsync(draft.DeploymentId, cancellationToken);
        if (deployment is null || deployment.WorkspaceId != workspaceId)
        {
            return LucidError.NotFound("Deployment", draft.DeploymentId);
        }

        if (deployment.ArchivedAt is not null)
        {
            return LucidError.Invalid("deployment_id", $"Deployment '{deployment.Id}' is archived; it starts no sessions to learn from.");
        }

        if (deployment.Resources.All(r => r.MemoryStoreId != draft.MemoryStoreId))
        {
            return LucidError.Invalid("memory_store_id",
                $"Memory store '{draft.MemoryStoreId}' is not mounted by deployment '{deployment.Id}'; a policy learns into a store the deployment's sessions read. Add it to the deployment's resources first.");
        }

        var now = _time.GetUtcNow();
        var policy = new LearningPolicy
        {
            Id = _ids.NewId(IdPrefixes.LearningPolicy),
            WorkspaceId = workspaceId,
            DeploymentId = deployment.Id,
            MemoryStoreId = draft.MemoryStoreId,
            Trigger = draft.Trigger,
            Model = draft.Model,
            Instructions = string.IsNullOrEmpty(draft.Instructions) ? null : draft.Instructions,
            ReviewRequired = draft.ReviewRequired ?? true,
            Enabled = draft.Enabled ?? true,
            // Sessions that ended before the policy existed are not learned from: it starts from now.
            LearnedUntil = now,
            LastTickAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (Check(policy) is { } error)
        {
            return error;
        }

        if ((await store.ListLearningPoliciesAsync(workspaceId, cancellationToken)).FirstOrDefault(p => p.MemoryStoreId == draft.MemoryStoreId) is { } other)
        {
            return LucidError.Conflict($"Memory store '{draft.MemoryStoreId}' already has learning policy '{other.Id}'; a store learns through one policy at a time.");
        }

        await store.CreateLearningPolicyAsync(policy, cancellationToken);
        Changed?.Invoke();
        return policy;
    }

    /// <summary>Changes the fields a draft sets.</summary>
    public async Task<Result<LearningPolicy>> UpdateAsync(string workspaceId, string id, LearningDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var found = await GetAsync(workspaceId, id, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        if (draft.DeploymentId is not null || draft.MemoryStoreId is not null)
        {
            return LucidError.Invalid(draft.DeploymentId is not null ? "deployment_id" : "memory_store_id",
                "A policy's deployment and memory store cannot change; delete it and create another.");
        }

        var current = found.Value;
        var policy = current with
        {
            Trigger = draft.Trigger ?? current.Trigger,
            Model = draft.Model ?? current.Model,
            Instructions = draft.Instructions is null ? current.Instructions : draft.Instructions.Length == 0 ? null : draft.Instructions,
            ReviewRequired = draft.ReviewRequired ?? current.ReviewRequired,
            Enabled = draft.Enabled ?? current.Enabled,
            UpdatedAt = _time.GetUtcNow(),
        };
        if (Check(policy) is { } error)
        {
            return error;
        }

        if (!await store.UpdateLearningPolicyAsync(policy, cancellationToken))
        {
            return LucidError.NotFound("Learning policy", id);
        }

        Changed?.Invoke();
        return policy;
    }

    /// <summary>A policy of the workspace.</summary>
    public async Task<Result<LearningPolicy>> GetAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var policy = IdPrefixes.Has(id, IdPrefixes.LearningPolicy) ? await store.GetLearningPolicyAsync(id, cancellationToken) : null;
        return policy is null || policy.WorkspaceId != workspaceId ? LucidError.NotFound("Learning policy", id) : policy;
    }

    /// <summary>The workspace's policies, oldest first.</summary>
    public Task<IReadOnlyList<LearningPolicy>> ListAsync(string workspaceId, CancellationToken cancellationToken) =>
        store.ListLearningPoliciesAsync(workspaceId, cancellationToken);

    /// <summary>Deletes a policy; its dreams stay.</summary>
    public async Task<Result<LearningPolicy>> DeleteAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var found = await GetAsync(workspaceId, id, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        await store.DeleteLearningPolicyAsync(id, cancellationToken);
        Changed?.Invoke();
        return found.Value;
    }

    private LucidError? Check(LearningPolicy policy)
    {
        var trigger = policy.Trigger;
        if ((trigger.GradedSessions is null) == (trigger.Cron is null))
        {
            return LucidError.Invalid("trigger", "trigger takes exactly one of graded_sessions (a count) or cron (an expression).");
        }

        if (trigger.GradedSessions is { } count && count is < 1 or > MaxGradedSessions)
        {
            return LucidError.Invalid("trigger.graded_sessions", string.Create(CultureInfo.InvariantCulture, $"trigger.graded_sessions must be 1 to {MaxGradedSessions}; got {count}."));
        }

        if (trigger.Cron is { } cron && CronSchedule.Parse(cron, trigger.Timezone, "trigger") is { IsSuccess: false } parsed)
        {
            return parsed.Error;
        }

        if (string.IsNullOrWhiteSpace(policy.Model) || policy.Model.Length > DreamService.MaxModelLength)
        {
            return LucidError.Invalid("model", $"model must be a model ID of 1 to {DreamService.MaxModelLength} characters.");
        }

        if (policy.Instructions is { Length: > DreamService.MaxInstructionsLength } instructions)
        {
            return LucidError.Invalid("instructions", string.Create(CultureInfo.InvariantCulture, $"instructions must be at most {DreamService.MaxInstructionsLength:N0} characters; they have {instructions.Length:N0}."));
        }

        return dreams.CheckModel(policy.Model);
    }
}
