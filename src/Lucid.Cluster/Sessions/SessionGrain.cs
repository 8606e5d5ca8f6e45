using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Cluster.Previews;
using Lucid.Results;
using Lucid.Server.Http;
using Lucid.Server.Sessions;
using Lucid.Sessions;
using Orleans.Placement;

namespace Lucid.Cluster.Sessions;

/// <summary>
/// The owner of one session (<see cref="ISessionGrain"/>). It is placed on the node that first calls it: the one that
/// created the session, or, after its owner died, the first node to resume it or be sent input for it. It stays active
/// while the session has a runner here or a node watches its previews, and lets Orleans deactivate it once the runner
/// has retired and nobody watches, so that ownership moves only between turns.
/// </summary>
[PreferLocalPlacement]
internal sealed class SessionGrain(SessionInput input, SessionEngine engine, SessionEdits edits, SessionResourceEdits resources, PreviewRelays previews) : Grain, ISessionGrain
{
    // How often the grain checks that its session still has a runner here.
    private static readonly TimeSpan RunnerCheck = TimeSpan.FromMinutes(1);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(KeepWhileRunningAsync, new GrainTimerCreationOptions(RunnerCheck, RunnerCheck) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        previews.EndAll();
        return Task.CompletedTask;
    }

    public Task ClaimAsync() => Task.CompletedTask;

    public async Task<OwnerAnswer> SendAsync(string workspaceId, string body, string[] eventIds, bool resent)
    {
        using var document = JsonDocument.Parse(body);
        return Answer(await input.SendRoutedAsync(workspaceId, this.GetPrimaryKeyString(), new WireObject(document.RootElement.Clone(), ""), eventIds, resent, CancellationToken.None));
    }

    public Task<bool> ResumeAsync() => engine.ResumeAsync(this.GetPrimaryKeyString(), CancellationToken.None);

    public async Task<OwnerAnswer> UpdateAsync(string workspaceId, string body)
    {
        using var document = JsonDocument.Parse(body);
        return Answer(await edits.UpdateAsync(workspaceId, this.GetPrimaryKeyString(), new WireObject(document.RootElement.Clone(), ""), CancellationToken.None));
    }

    // An archived or deleted session's runners are stopped, so its grain lets go of the session at once.
    public async Task<OwnerAnswer> ArchiveAsync(string workspaceId) =>
        ReleasedUnlessRunning(Answer(await edits.ArchiveAsync(workspaceId, this.GetPrimaryKeyString(), CancellationToken.None)));

    public async Task<OwnerAnswer> DeleteAsync(string workspaceId) =>
        ReleasedUnlessRunning(Answer(await edits.DeleteAsync(workspaceId, this.GetPrimaryKeyString(), CancellationToken.None)));

    public Task WatchPreviewsAsync(string logId, string[] types, IPreviewWatcher watcher, SiloAddress node) =>
        previews.WatchAsync(this.GetPrimaryKeyString(), logId, types, watcher, node);

    public Task UnwatchPreviewsAsync(string logId, IPreviewWatcher watcher)
    {
        previews.Unwatch(logId, watcher);
        return Task.CompletedTask;
    }

    // A resource change is made here, where the session's runner and its files are, and the runner takes it at its next turn.
    public async Task<OwnerAnswer> AddResourceAsync(string workspaceId, string body)
    {
        using var document = JsonDocument.Parse(body);
        return Answer(await resources.AddAsync(workspaceId, this.GetPrimaryKeyString(), new WireObject(document.RootElement.Clone(), ""), CancellationToken.None));
    }

    public async Task<OwnerAnswer> RotateResourceTokenAsync(string workspaceId, string resourceId) =>
        Answer(await resources.RotateTokenAsync(workspaceId, this.GetPrimaryKeyString(), resourceId, CancellationToken.None));

    public async Task<OwnerAnswer> DeleteResourceAsync(string workspaceId, string resourceId) =>
        Answer(await resources.DeleteAsync(workspaceId, this.GetPrimaryKeyString(), resourceId, CancellationToken.None));

    private static OwnerAnswer Answer<T>(Result<T> answer)
        where T : JsonNode => answer.IsSuccess
        ? new OwnerAnswer(answer.Value.ToJsonString(), 0, null, null)
        : new OwnerAnswer(null, (int)answer.Error.Kind, answer.Error.Message, answer.Error.Field);

    private OwnerAnswer ReleasedUnlessRunning(OwnerAnswer answer)
    {
        if (!engine.Runs(this.GetPrimaryKeyString()))
        {
            this.DeactivateOnIdle();
        }

        return answer;
    }

    private Task KeepWhileRunningAsync(CancellationToken cancellationToken)
    {
        previews.Prune();
        if (!engine.Runs(this.GetPrimaryKeyString()) && !previews.Any)
        {
            this.DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }
}
