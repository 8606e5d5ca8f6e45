using Lucid.Deployments;
using Lucid.Dreams;
using Lucid.Outcomes;
using Lucid.Results;
using Lucid.Sessions;
using Lucid.Storage;

namespace Lucid.Learning;

/// <summary>
/// Fires learning policies: when a policy's trigger has fired and its last dream has ended (completed, failed or
/// canceled — a dream awaiting review has not), it starts an <c>update_existing</c> dream over the deployment's graded
/// sessions that are new since its last dream, oldest first, at most <see cref="DreamService.MaxSessions"/>.
/// </summary>
public sealed class LearningRuns(ILucidStore store, DreamService dreams, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Fires every enabled policy that is due. Returns the next tick of any cron trigger, or null when none has one.</summary>
    public async Task<DateTimeOffset?> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var policy in await store.ListLearningPoliciesAsync(null, cancellationToken))
        {
            if (!policy.Enabled)
            {
                continue;
            }

            var ran = await RunAsync(policy, now, cancellationToken);
            if (Schedule(ran)?.Next(now, 1) is [var tick] && (next is null || tick < next))
            {
                next = tick;
            }
        }

        return next;
    }

    // One policy at one moment: counts a cron tick, then starts a dream when the trigger fired and no dream of the
    // policy is still going. A tick that finds its last dream still going (or awaiting review) is skipped, not kept.
    private async Task<LearningPolicy> RunAsync(LearningPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var original = policy;
        var ticked = false;
        if (Schedule(policy) is { } schedule)
        {
            if (schedule.Latest(policy.LastTickAt ?? policy.CreatedAt, now) is not { } tick)
            {
                return policy;
            }

            policy = policy with { LastTickAt = tick };
            ticked = true;
        }

        if (policy.LastDreamId is { } last && await store.GetDreamAsync(last, cancellationToken) is { IsFinal: false })
        {
            return await SaveAsync(original, policy, cancellationToken);
        }

        var sessions = await NewGradedSessionsAsync(policy, cancellationToken);
        var fire = policy.Trigger.GradedSessions is { } count ? sessions.Count >= count : ticked && sessions.Count > 0;
        if (!fire)
        {
            return await SaveAsync(original, policy, cancellationToken);
        }

        var created = await dreams.CreateAsync(policy.WorkspaceId, new DreamRequest
        {
            MemoryStoreId = policy.MemoryStoreId,
            SessionIds = [.. sessions.Select(s => s.Id)],
            Model = policy.Model,
            Instructions = policy.Instructions,
            OutputBehavior = DreamOutputBehavior.UpdateExisting,
            UpdateStoreId = policy.MemoryStoreId,
            ReviewRequired = policy.ReviewRequired,
        }, cancellationToken);
        if (!created.IsSuccess && created.Error.Kind == ErrorKind.Conflict)
        {
            // Another dream holds the store (a person's, or this policy's started elsewhere): try again later.
            return await SaveAsync(original, policy, cancellationToken);
        }

        policy = created.IsSuccess
            ? policy with { LastDreamId = created.Value.Id, LearnedUntil = sessions[^1].CreatedAt, LastError = null }
            : policy with { LastError = $"The dream could not start: {created.Error.Message}" };
        return await SaveAsync(original, policy, cancellationToken);
    }

    private async Task<LearningPolicy> SaveAsync(LearningPolicy original, LearningPolicy policy, CancellationToken cancellationToken)
    {
        if (policy != original)
        {
            await store.UpdateLearningPolicyAsync(policy, cancellationToken);
        }

        return policy;
    }

    private static CronSchedule? Schedule(LearningPolicy policy) =>
        policy.Trigger.Cron is { } cron && CronSchedule.Parse(cron, policy.Trigger.Timezone) is { IsSuccess: true } parsed ? parsed.Value : null;

    // The deployment's sessions created since the last dream's newest that a grader has judged, oldest first. The scan
    // stops at a session still running without a verdict (it may yet be graded, and must not be passed over).
    private async Task<List<Session>> NewGradedSessionsAsync(LearningPolicy policy, CancellationToken cancellationToken)
    {
        var graded = new List<Session>();
        var query = new SessionQuery { DeploymentId = policy.DeploymentId, CreatedAfter = policy.LearnedUntil, Ascending = true, IncludeArchived = true };
        string? cursor = null;
        do
        {
            var page = await store.ListSessionsAsync(policy.WorkspaceId, query, new PageRequest(100, cursor), cancellationToken);
            foreach (var session in page.Items)
            {
                var judged = session.OutcomeEvaluations.Any(e => e.Result is OutcomeResult.Satisfied or OutcomeResult.Failed or OutcomeResult.MaxIterationsReached);
                if (!judged && session.Status is SessionStatus.Running or SessionStatus.Rescheduling)
                {
                    return graded;
                }

                if (judged)
                {
                    graded.Add(session);
                    if (graded.Count == DreamService.MaxSessions)
                    {
                        return graded;
                    }
                }
            }

            cursor = page.NextPage;
        }
        while (cursor is not null);

        return graded;
    }
}
