using System.Net;
using System.Net.Sockets;
using Lucid.Sandboxing;

namespace Lucid.Core.Tests.Sandboxing;

public sealed class SandboxIsolationTests : IDisposable
{
    private readonly SandboxScene _scene = new();

    public void Dispose() => _scene.Dispose();

    [Fact]
    public async Task A_sandbox_can_be_made_on_this_machine()
    {
        var failure = await SandboxProbe.FailureAsync(new SandboxOptions(), CancellationToken.None);

        // The sandbox tests need bubblewrap; .ci/run installs it. Missing, they fail rather than pass without it.
        Assert.True(failure is null, $"No sandbox can be made here: {failure}. Install bubblewrap (apt-get install bubblewrap).");
    }

    [Fact]
    public async Task Bash_sees_its_own_directory_but_not_the_data_directory_or_another_session()
    {
        var reads = await _scene.BashAsync(
            $"cat {_scene.DataDirectory}/lucid.db; echo data:; ls -A {_scene.DataDirectory}; echo workspaces:; ls -A {_scene.DataDirectory}/workspaces; "
            + $"cat {_scene.OtherSession}/notes.txt; cat /workspace/../sesn_theirs/notes.txt; pwd");
        var root = await _scene.BashAsync("ls -A /");

        Assert.DoesNotContain(SandboxScene.Secret, reads.Content, StringComparison.Ordinal);
        Assert.Equal(3, reads.Content.Split("No such file or directory").Length - 1);

        // The work directory is also at its own path, for absolute paths from before the sandbox: only it is there.
        Assert.Contains("data:\nworkspaces\nworkspaces:\nsesn_mine\n", reads.Content, StringComparison.Ordinal);
        Assert.Contains("/workspace\n", reads.Content, StringComparison.Ordinal);
        // The root holds the system directories, /proc, /dev, /tmp and the workspace: nothing of the server's.
        var entries = root.Content.Split('\n', StringSplitOptions.RemoveEmptyEntries).SkipLast(1);
        Assert.All(entries, e => Assert.Contains(e, new[] { "bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "sbin", "tmp", "usr", "workspace" }));
        Assert.Contains("workspace", entries);
    }

    [Fact]
    public async Task Bash_writes_in_its_directory_and_the_file_tools_read_it_at_either_path()
    {
        var bash = await _scene.BashAsync("mkdir -p out && echo 'from bash' > out/result.txt && ls -l /workspace/out");
        var relative = await _scene.RunAsync("read", new { file_path = "out/result.txt" });
        var sandboxPath = await _scene.RunAsync("read", new { file_path = "/workspace/out/result.txt" });
        var escape = await _scene.RunAsync("read", new { file_path = "/workspace/../sesn_theirs/notes.txt" });

        Assert.False(bash.IsError, bash.Content);
        Assert.Equal("from bash\n", await File.ReadAllTextAsync(Path.Combine(_scene.Root, "out", "result.txt")));
        Assert.Equal("     1\tfrom bash\n", relative.Content);
        Assert.Equal("     1\tfrom bash\n", sandboxPath.Content);
        Assert.True(escape.IsError);
        Assert.Contains("outside the session's directory", escape.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bash_gets_only_the_allowlisted_environment_never_the_servers()
    {
        const string Name = "LUCID_SANDBOX_TEST_API_KEY";
        Environment.SetEnvironmentVariable(Name, "sk-ant-must-not-leak");
        try
        {
            var result = await _scene.BashAsync("env; echo \"key=${" + Name + ":-absent}\"; tr '\\0' '\\n' < /proc/1/environ");

            Assert.DoesNotContain("sk-ant-must-not-leak", result.Content, StringComparison.Ordinal);
            Assert.Contains("key=absent", result.Content, StringComparison.Ordinal);
            var names = result.Content.Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith("key=", StringComparison.Ordinal)).Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]);
            Assert.All(names, n => Assert.Contains(n, new[] { "PATH", "HOME", "TMPDIR", "LANG", "TERM", "SHELL", "PWD", "SHLVL", "_" }));
            Assert.Contains("HOME=/tmp\n", result.Content, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Name, null);
        }
    }

    [Fact]
    public async Task Without_network_bash_cannot_reach_a_server_on_the_hosts_loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var connect = $"exec 3<>/dev/tcp/127.0.0.1/{port} && echo connected";

        var none = await _scene.BashAsync(connect);
        var reachedWithoutNetwork = listener.Pending();
        var unrestricted = await _scene.BashAsync(connect, new SandboxOptions { Network = NetworkAccess.Unrestricted });

        Assert.DoesNotContain("connected", none.Content, StringComparison.Ordinal);
        Assert.False(reachedWithoutNetwork);
        // The same command does connect when the network is allowed: the refusal above is the sandbox's.
        Assert.Contains("connected", unrestricted.Content, StringComparison.Ordinal);
        Assert.True(listener.Pending());
    }

    [Fact]
    public async Task Tmp_is_private_to_each_call()
    {
        var marker = $"lucid-tmp-{Guid.NewGuid():N}";

        var write = await _scene.BashAsync($"echo kept > /tmp/{marker} && cat /tmp/{marker}");
        var read = await _scene.BashAsync($"cat /tmp/{marker}");

        Assert.Contains("kept", write.Content, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", read.Content, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), marker)));
    }

    [Fact]
    public async Task System_directories_are_read_only_and_secrets_of_etc_are_absent()
    {
        var result = await _scene.BashAsync("touch /usr/lucid-write-test; echo \"usr=$?\"; ls /etc/shadow; test -r /etc/passwd && echo passwd-readable");

        Assert.Contains("usr=1", result.Content, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", result.Content, StringComparison.Ordinal);
        Assert.Contains("/etc/shadow': No such file or directory", result.Content, StringComparison.Ordinal);
        Assert.Contains("passwd-readable", result.Content, StringComparison.Ordinal);
        Assert.False(File.Exists("/usr/lucid-write-test"));
    }
}
