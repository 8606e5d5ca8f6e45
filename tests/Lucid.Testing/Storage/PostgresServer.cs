using System.Diagnostics;
using Lucid.Testing.Server;
using Npgsql;

namespace Lucid.Testing.Storage;

/// <summary>
/// A throwaway PostgreSQL server for tests: <c>initdb</c> into a temporary directory, started by <c>pg_ctl</c> on a free
/// loopback port with <c>fsync=off</c> (tests need no durability), stopped and deleted once the test process has ended. One
/// server per test process (<see cref="Shared"/>); each caller gets its own database from <see cref="CreateDatabaseAsync"/>.
/// initdb refuses to run as root, so as root the server runs as the <c>postgres</c> user, in a directory it owns.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Started = new(StartAsync);
    private int _databases;

    private PostgresServer(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    /// <summary>The test process's server, started at first use.</summary>
    public static Task<PostgresServer> Shared => Started.Value;

    /// <summary>Where its data, socket and log are.</summary>
    public string Directory { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>A connection string for the <c>postgres</c> database, as the superuser <c>lucid</c>.</summary>
    public string AdminConnectionString => Connection("postgres");

    /// <summary>Creates a new, empty UTF-8 database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"lucid_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0", connection);
        await command.ExecuteNonQueryAsync();
        return Connection(name);
    }

    private string Connection(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "lucid", Database = database, Pooling = true }.ConnectionString;

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries();
        var directory = System.IO.Directory.CreateTempSubdirectory("lucid-pg-").FullName;
        var asRoot = Environment.IsPrivilegedProcess;
        RemoveWhenTestsEnd(directory, bin, asRoot);
        if (asRoot)
        {
            await RunAsync("chown", ["postgres:", directory], asRoot: false);
        }

        var data = Path.Combine(directory, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "lucid", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asRoot);
        var port = FreePorts.Next();
        var settings = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-o", settings, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start"], asRoot);
        return new PostgresServer(directory, port);
    }

    // The test host is killed with its process tree once the tests end, before any exit handler runs: a detached shell
    // (its own session, outside that tree) waits for the test process to end, then stops the server and deletes its files.
    private static void RemoveWhenTestsEnd(string directory, string bin, bool asRoot)
    {
        var stop = $"{(asRoot ? "runuser -u postgres -- " : "")}'{Path.Combine(bin, "pg_ctl")}' -D '{Path.Combine(directory, "data")}' -m immediate -w stop";
        var script = $"exec >/dev/null 2>&1 </dev/null; tail --pid={Environment.ProcessId} -f /dev/null; {stop}; rm -rf '{directory}'";
        using var reaper = Process.Start(new ProcessStartInfo("setsid", ["-f", "sh", "-c", script]))
            ?? throw new InvalidOperationException("Cannot start the shell that removes the test PostgreSQL server.");
    }

    // initdb and pg_ctl on PATH, else the newest under /usr/lib/postgresql/*/bin (Debian's packages put them there only).
    private static string FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var debian = (System.IO.Directory.Exists("/usr/lib/postgresql") ? System.IO.Directory.GetDirectories("/usr/lib/postgresql") : [])
            .OrderByDescending(version => int.TryParse(Path.GetFileName(version), out var major) ? major : 0)
            .Select(version => Path.Combine(version, "bin"));
        return onPath.Concat(debian).FirstOrDefault(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "The PostgreSQL tests need PostgreSQL's server binaries (initdb and pg_ctl), on PATH or under /usr/lib/postgresql/<version>/bin: install the 'postgresql' package.");
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, bool asRoot)
    {
        var start = new ProcessStartInfo(asRoot ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asRoot)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {file}.");
        // pg_ctl start leaves the server holding its own output (the log file), so reading to the end returns.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
