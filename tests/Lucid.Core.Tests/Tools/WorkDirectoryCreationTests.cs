using Lucid.Testing.Sessions;

namespace Lucid.Core.Tests.Tools;

public sealed class WorkDirectoryCreationTests
{
    [Fact]
    public async Task A_session_makes_its_work_directory_only_when_a_tool_first_needs_it()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Model.Reply("Nothing to touch.").CallTool("bash", new { command = "pwd" }).Reply("Done.");

        await h.RunTurnAsync("just talk");
        Assert.False(Directory.Exists(h.WorkDirectory));

        await h.RunTurnAsync("now run something");
        Assert.True(Directory.Exists(h.WorkDirectory));
    }
}
