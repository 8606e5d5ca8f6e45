using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Anthropic.Models.Beta.Agents;
using Anthropic.Models.Beta.Environments;
using Lucid.Sandboxing;
using Lucid.Testing.Sandboxing;

namespace Lucid.Conformance.Tests;

/// <summary>What an agent's <c>bash</c> can reach on a real server, driven through the official SDK.</summary>
[Collection(SandboxServerGroup.Name)]
public sealed class SandboxConformanceTests(SandboxServerFixture fixture)
{
    private Lucid.Testing.Server.LucidTestServer Server => fixture.Server;

    [Fact]
    public async Task The_server_can_make_a_sandbox_here()
    {
        // .CI/run installs bubblewrap; without it these tests fail rather than pass unsandboxed.
        var failure = await SandboxProbe.FailureAsync(new SandboxOptions(), CancellationToken.None);

        Assert.True(failure is null, $"No sandbox can be made here: {failure}. Install bubblewrap (apt-get install bubblewrap).");
    }

    [Fact]
    public async Task Bash_cannot_list_the_data_directory_or_read_the_database()
    {
        var (session, results) = await fixture.RunToolsAsync(Server.AlphaKey, ("bash", new
        {
            command = $"echo data:; ls -A {Server.DataDirectory}; echo workspaces:; ls -A {Server.WorkDirectoriesRoot}; head -c 16 {Server.DatabasePath}; echo; ls -A /",
        }));
        var (text, _) = Assert.Single(results);

        // The session's own directory is at /workspace and, for the absolute paths sessions used before they were
        // sandboxed, at its own path: only it, not the data directory's other entries or other sessions' directories.
        Assert.StartsWith($"data:\nworkspaces\nworkspaces:\n{session}\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split("No such file or directory").Skip(1));
        Assert.DoesNotContain("SQLite format", text, StringComparison.Ordinal);
        Assert.Contains("\nworkspace\n", text, StringComparison.Ordinal);
        Assert.True(Server.Database is not null || File.Exists(Server.DatabasePath), "the SQLite store it tried to read exists on the host");
        Assert.True(Directory.GetDirectories(Server.WorkDirectoriesRoot).Length > 1, "other sessions' directories exist on the host");
    }

    [Fact]
    public async Task A_session_keeps_reaching_its_directory_by_the_absolute_path_it_had_before_it_was_sandboxed()
    {
        string HostPath(string session) => Path.Combine(Server.WorkDirectoriesRoot, session);
        var (session, results) = await fixture.RunToolsAsync(Server.AlphaKey,
            ("write", new { file_path = "notes.txt", content = "written before" }),
            ("bash", (Func<string, object>)(id => new { command = $"pwd; cat {HostPath(id)}/notes.txt && echo appended >> {HostPath(id)}/notes.txt" })));

        var (text, isError) = results[1];
        Assert.False(isError, text);
        Assert.Contains("/workspace\nwritten before", text, StringComparison.Ordinal);
        Assert.Equal("written beforeappended\n", await File.ReadAllTextAsync(Path.Combine(HostPath(session), "notes.txt")));
    }

    [Fact]
    public async Task Bash_cannot_read_another_sessions_directory_even_of_its_own_workspace()
    {
        const string Secret = "the other session's secret";
        var (theirs, written) = await fixture.RunToolsAsync(Server.AlphaKey, ("write", new { file_path = "secret.txt", content = Secret }));
        var theirPath = Path.Combine(Server.WorkDirectoriesRoot, theirs, "secret.txt");
        Assert.False(Assert.Single(written).IsError);
        Assert.Equal(Secret, await File.ReadAllTextAsync(theirPath));

        var (text, _) = await fixture.BashAsync($"cat {theirPath}; cat /workspace/../{theirs}/secret.txt; ls /workspace/..");

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("No such file or directory").Length - 1);
    }

    [Fact]
    public async Task Bash_sees_none_of_the_servers_environment()
    {
        Assert.Equal(SandboxServerFixture.KeyValue, Environment.GetEnvironmentVariable(SandboxServerFixture.KeyVariable));

        var (text, _) = await fixture.BashAsync("env; cat /proc/1/environ /proc/self/environ | tr '\\0' '\\n'");

        Assert.DoesNotContain(SandboxServerFixture.KeyValue, text, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxServerFixture.KeyVariable, text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-fake", text, StringComparison.Ordinal);
        Assert.Contains("HOME=/tmp", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bash_cannot_reach_a_loopback_server_or_the_lucid_server_itself()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var lucidPort = new Uri(Server.BaseUrl).Port;

        var (text, _) = await fixture.BashAsync(
            $"(exec 3<>/dev/tcp/127.0.0.1/{port} && echo reached-listener); (exec 3<>/dev/tcp/127.0.0.1/{lucidPort} && echo reached-lucid); echo tried");

        Assert.Contains("tried", text, StringComparison.Ordinal);
        Assert.DoesNotContain("reached-", text, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task An_environment_with_unrestricted_networking_opens_the_network()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (open, _) = await fixture.BashAsync(
            $"(exec 3<>/dev/tcp/127.0.0.1/{port} && echo reached-listener); echo tried",
            config: new BetaCloudConfigParams { Networking = new BetaUnrestrictedNetwork() });

        Assert.Contains("reached-listener", open, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limited_networking_reaches_its_allowed_hosts_through_the_proxy_and_nothing_else()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = AnswerOnceAsync(listener);

        // curl takes HTTP_PROXY from the sandbox's environment; a direct connection has no network to go out on.
        var (text, _) = await fixture.BashAsync(
            $"curl -s -m 10 http://127.0.0.1:{port}/allowed; echo; curl -s -m 10 -o /dev/null -w 'other:%{{http_code}}' http://localhost:{port}/other; echo; "
            + $"(exec 3<>/dev/tcp/127.0.0.1/{port} && echo direct-reached); echo tried",
            config: new BetaCloudConfigParams { Networking = new BetaLimitedNetworkParams { AllowedHosts = ["127.0.0.1"] } });

        Assert.Contains("answered GET /allowed", text, StringComparison.Ordinal);
        Assert.Contains("other:403", text, StringComparison.Ordinal);
        Assert.Contains("tried", text, StringComparison.Ordinal);
        Assert.DoesNotContain("direct-reached", text, StringComparison.Ordinal);
        await serving;
    }

    [Fact]
    public async Task An_environments_pip_and_npm_packages_are_installed_once_and_its_sandboxes_use_them_read_only()
    {
        var wheel = fixture.Packages.AddPython("lucid-greeting", "1.0.0", "GREETING = 'hello from pip'\n");
        var tarball = fixture.Packages.AddNpm("lucid-greeting", "1.0.0", "exports.greeting = 'hello from npm';\n");
        var environment = await fixture.Client(Server.AlphaKey).Beta.Environments.Create(new EnvironmentCreateParams
        {
            Name = "with-packages",
            Config = new BetaCloudConfigParams
            {
                Networking = new BetaLimitedNetworkParams { AllowPackageManagers = true },
                Packages = new BetaPackagesParams { Pip = ["lucid-greeting==1.0.0"], Npm = ["lucid-greeting@1.0.0"] },
            },
        });
        const string Use = "python3 -c 'import lucid_greeting; print(lucid_greeting.GREETING)'; node -e 'console.log(require(\"lucid-greeting\").greeting)'; "
            + "touch /opt/lucid/packages/python/changed 2>/dev/null || echo packages-read-only";

        var (_, first) = await fixture.RunToolsInAsync(Server.AlphaKey, environment.ID, ("bash", new { command = Use }));
        var (_, second) = await fixture.RunToolsInAsync(Server.AlphaKey, environment.ID, ("bash", new { command = Use }));

        foreach (var (text, isError) in new[] { Assert.Single(first), Assert.Single(second) })
        {
            Assert.False(isError, text);
            Assert.Contains("hello from pip\nhello from npm\npackages-read-only", text, StringComparison.Ordinal);
        }

        Assert.Equal(1, fixture.Packages.Requests.Count(r => r == wheel));
        Assert.Equal(1, fixture.Packages.Requests.Count(r => r == tarball));
        Assert.Single(Directory.GetDirectories(Server.PackagesRoot, environment.ID + "-*"));
    }

    [Fact]
    public async Task A_package_that_cannot_be_installed_refuses_commands_with_the_managers_output_and_leaves_nothing_behind()
    {
        var environment = await fixture.Client(Server.AlphaKey).Beta.Environments.Create(new EnvironmentCreateParams
        {
            Name = "missing-package",
            Config = new BetaCloudConfigParams
            {
                Networking = new BetaLimitedNetworkParams { AllowPackageManagers = true },
                Packages = new BetaPackagesParams { Pip = ["lucid-not-published==1.0.0"] },
            },
        });

        var (_, results) = await fixture.RunToolsInAsync(Server.AlphaKey, environment.ID, ("bash", new { command = "echo ran" }));

        var (text, isError) = Assert.Single(results);
        Assert.True(isError);
        Assert.Contains("Installing the environment's packages failed", text, StringComparison.Ordinal);
        Assert.Contains("lucid-not-published", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ran", text.Split('\n')[^1], StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Server.PackagesRoot) ? Directory.GetDirectories(Server.PackagesRoot, environment.ID + "-*") : []);
    }

    // Answers one HTTP request with the request line it got.
    private static async Task AnswerOnceAsync(TcpListener listener)
    {
        using var client = await listener.AcceptTcpClientAsync();
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var requestLine = await reader.ReadLineAsync();
        while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
        {
        }

        var body = $"answered {requestLine?.Replace(" HTTP/1.1", "", StringComparison.Ordinal)}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"));
    }

    [Fact]
    public async Task A_memory_hog_is_stopped_by_its_limit_and_the_server_keeps_serving()
    {
        var (hog, _) = await fixture.BashAsync("head -c 1000000000 /dev/zero | tail | wc -c; echo \"tail=${PIPESTATUS[1]}\"");
        var (after, afterError) = await fixture.BashAsync("echo still-serving");

        Assert.Contains("memory exhausted", hog, StringComparison.Ordinal);
        Assert.Contains("tail=1", hog, StringComparison.Ordinal);
        Assert.False(afterError);
        Assert.Contains("still-serving", after, StringComparison.Ordinal);
        using var http = Server.Http(Server.AlphaKey);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1/sessions")).StatusCode);
    }

    [Fact]
    public async Task A_command_over_its_time_limit_is_killed_with_every_process_it_started()
    {
        var marker = HostProcesses.NewSleepMarker();

        var (text, isError) = await fixture.BashAsync(
            $"sleep {marker} & setsid sleep {marker} & (sleep {marker} &); echo started; sleep {marker}", timeoutMs: 2000);

        Assert.True(isError);
        Assert.Contains("started", text, StringComparison.Ordinal);
        Assert.Contains("time limit of 2000 ms", text, StringComparison.Ordinal);
        Assert.Empty(await HostProcesses.GoneAsync(marker, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task What_bash_writes_in_its_directory_the_read_tool_reads()
    {
        var (_, results) = await fixture.RunToolsAsync(
            Server.AlphaKey,
            ("bash", new { command = "mkdir -p out && echo 'written by bash' > out/note.txt && pwd" }),
            ("read", new { file_path = "/workspace/out/note.txt" }),
            ("read", new { file_path = "out/note.txt" }));

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.False(r.IsError, r.Text));
        Assert.StartsWith("/workspace\n", results[0].Text, StringComparison.Ordinal);
        Assert.Equal("     1\twritten by bash\n", results[1].Text);
        Assert.Equal("     1\twritten by bash\n", results[2].Text);
    }

    [Fact]
    public async Task An_outcome_command_check_for_an_agent_without_bash_is_a_400_naming_the_field()
    {
        var client = fixture.Client(Server.AlphaKey);
        var agent = await client.Beta.Agents.Create(new AgentCreateParams
        {
            Name = "no-shell",
            Model = new BetaManagedAgentsModelConfigParams { ID = "scripted/unused" },
            Tools = [new BetaManagedAgentsAgentToolset20260401Params { Configs = [new BetaManagedAgentsBashToolConfigParams { Enabled = false }] }],
        });
        var environment = await client.Beta.Environments.Create(new EnvironmentCreateParams { Name = "no-shell" });
        var body = JsonSerializer.Serialize(new
        {
            agent = agent.ID,
            environment_id = environment.ID,
            initial_events = new object[]
            {
                new
                {
                    type = "user.define_outcome",
                    description = "Make the tests pass.",
                    rubric = new { type = "text", content = "- The tests pass." },
                    checks = new object[] { new { type = "file_exists", path = "out.txt" }, new { type = "command", command = "make test" } },
                },
            },
        });

        using var http = Server.Http(Server.AlphaKey);
        using var response = await http.PostAsync("/v1/sessions", new StringContent(body, Encoding.UTF8, "application/json"));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("initial_events[0].checks[1].command", error.GetProperty("field").GetString());
        Assert.Contains("bash", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain((await client.Beta.Sessions.List()).Items, s => s.Agent.ID == agent.ID);
    }

    [Fact]
    public async Task The_status_page_says_commands_are_sandboxed_without_network()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };

        var page = await http.GetStringAsync("/");

        Assert.Contains("Sandbox: on", page, StringComparison.Ordinal);
        Assert.Contains("network none", page, StringComparison.Ordinal);
        Assert.Contains("128 MiB per process, 64 processes", page, StringComparison.Ordinal);
    }
}
