using Lucid.Results;
using Lucid.Sessions;
using Lucid.Testing.Sessions;
using Microsoft.Extensions.AI;

namespace Lucid.Core.Tests.Sessions;

public sealed class SessionLifecycleTests
{
    [Fact]
    public async Task Deleting_a_session_removes_its_log_and_the_workspace_lucid_made_for_it()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.CallTool("write", new { file_path = "out.txt", content = "x" }).Reply("done");
        await h.RunTurnAsync("write out.txt");
        Assert.True(File.Exists(Path.Combine(h.WorkDirectory, "out.txt")));

        var deleted = await h.Sessions.DeleteAsync(Workspaces.Default, h.Session.Id, CancellationToken.None);

        Assert.True(deleted.IsSuccess);
        Assert.False(Directory.Exists(h.WorkDirectory));
        Assert.Empty(await h.LogAsync());
        Assert.Equal(ErrorKind.NotFound, (await h.Sessions.GetAsync(Workspaces.Default, h.Session.Id, CancellationToken.None)).Error?.Kind);
    }

    [Fact]
    public async Task A_running_session_cannot_be_archived_or_deleted()
    {
        await using var h = await SessionHarness.StartAsync();
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Model.Then(async (_, ct) =>
        {
            started.SetResult();
            await release.Task.WaitAsync(ct);
            return h.Model.Response(new ChatMessage(ChatRole.Assistant, "done"));
        });
        var sent = await h.SayAsync("work");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var archive = await h.Sessions.ArchiveAsync(Workspaces.Default, h.Session.Id, CancellationToken.None);
        var delete = await h.Sessions.DeleteAsync(Workspaces.Default, h.Session.Id, CancellationToken.None);
        release.SetResult();
        await h.WaitForIdleAsync(sent[^1].Sequence);

        Assert.Equal(ErrorKind.Conflict, archive.Error?.Kind);
        Assert.Equal(ErrorKind.Conflict, delete.Error?.Kind);
        Assert.True((await h.Sessions.ArchiveAsync(Workspaces.Default, h.Session.Id, CancellationToken.None)).IsSuccess);
    }
}
