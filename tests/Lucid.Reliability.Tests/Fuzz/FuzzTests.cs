using System.Text.Json;
using Lucid.Testing.Server;
using Xunit.Abstractions;

namespace Lucid.Reliability.Tests.Fuzz;

/// <summary>
/// Every <c>/v1</c> route the server maps gets every kind of bad input that fits it — malformed and unknown IDs, wrong
/// methods, bad query values, garbage, unbalanced and 10,000-deep nesting, oversized bodies, wrong types, over-limit and
/// unknown values — against real resources of every kind. Every answer must be a 4xx in the API's error shape, and
/// nothing the server keeps may change: no row of any table (threads and their events included), no file of its data
/// directory.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The routes under <c>/v1</c>; a route added or removed changes it, and this test, and the reliability doc.</summary>
    private const int Routes = 109;

    /// <summary>How many times each route gets each kind of bad request that fits it.</summary>
    private const int Rounds = 24;

    /// <summary>All the bad requests: <see cref="Rounds"/> times every kind that fits each route.</summary>
    private const int Requests = 12192;

    private const long MaxBodyBytes = 64 * 1024;
    private readonly LucidTestServer _server = new();
    private FuzzWorld? _world;

    public async Task InitializeAsync()
    {
        await _server.StartAsync(maxRequestBodyBytes: MaxBodyBytes);
        _world = await FuzzWorld.CreateAsync(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void The_fuzzer_knows_every_route_the_server_maps_and_no_other()
    {
        var mapped = _server.ApiRoutes().Select(r => $"{r.Method} {r.Pattern}").ToHashSet(StringComparer.Ordinal);
        var known = FuzzRoutes.All.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(mapped.Except(known));
        Assert.Empty(known.Except(mapped));
        Assert.Equal(Routes, mapped.Count);
        Assert.Equal(Routes, FuzzRoutes.All.Count);
    }

    [Fact]
    public async Task Every_route_answers_every_kind_of_bad_request_with_a_4xx_in_the_error_shape_and_changes_nothing()
    {
        var world = _world ?? throw new InvalidOperationException("The world was not made.");
        var requests = new BadRequests(world, MaxBodyBytes);
        var random = new Random(20261124);
        var before = await _server.SnapshotAsync();
        var (rows, files) = Contents(before);
        output.WriteLine($"snapshot: {string.Join(", ", rows.Select(r => $"{r.Key} {r.Value}"))}; {files.Count} files and directories");
        Assert.All(new[] { "sessions", "events", "threads", "thread_events", "memory_versions", "dreams" }, t => Assert.True(rows.GetValueOrDefault(t) > 0, $"no {t} in the snapshot"));
        Assert.Contains(files, f => f.StartsWith($"file {Path.Combine("workspaces", world.Session, "notes.md")} ", StringComparison.Ordinal));
        var statuses = new SortedDictionary<int, int>();
        var perRoute = new Dictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        using var http = _server.Http(_server.AlphaKey);
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var route in FuzzRoutes.All)
            {
                foreach (var kind in BadRequests.KindsFor(route))
                {
                    var bad = requests.Create(route, kind, round, random);
                    using var message = bad.ToMessage();
                    using var response = await http.SendAsync(message);
                    var status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync();
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    perRoute[route.Key] = perRoute.GetValueOrDefault(route.Key) + 1;
                    if (status is < 400 or >= 500 || !IsErrorShape(text))
                    {
                        failures.Add($"{bad} → {status}: {text[..Math.Min(200, text.Length)]}");
                    }
                }
            }
        }

        var after = await _server.SnapshotAsync();
        var total = statuses.Values.Sum();
        output.WriteLine($"{total} requests over {perRoute.Count} routes ({perRoute.Values.Min()}–{perRoute.Values.Max()} each); statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        foreach (var failure in failures.Take(20))
        {
            output.WriteLine(failure);
        }

        foreach (var line in Changed(before, after).Take(20))
        {
            output.WriteLine($"changed: {line}");
        }

        Assert.Equal(Routes, perRoute.Count);
        Assert.Equal(Requests, total);
        Assert.Empty(failures);
        Assert.Equal(before, after);
    }

    private static bool IsErrorShape(string text)
    {
        try
        {
            var root = JsonDocument.Parse(text).RootElement;
            return root.GetProperty("type").GetString() == "error"
                && root.GetProperty("error").GetProperty("type").GetString() is { Length: > 0 }
                && root.GetProperty("error").GetProperty("message").GetString() is { Length: > 0 };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    // The rows of each table and the file and directory lines of a snapshot.
    private static (Dictionary<string, int> Rows, List<string> Files) Contents(string snapshot)
    {
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        var files = new List<string>();
        var table = "";
        foreach (var line in snapshot.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("table ", StringComparison.Ordinal))
            {
                table = line[6..];
                rows[table] = 0;
            }
            else if (line.StartsWith("file ", StringComparison.Ordinal) || line.StartsWith("directory ", StringComparison.Ordinal))
            {
                files.Add(line);
            }
            else
            {
                rows[table]++;
            }
        }

        return (rows, files);
    }

    // The lines of one snapshot missing from the other, marked - and +, so a failure says what changed.
    private static IEnumerable<string> Changed(string before, string after)
    {
        var old = before.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = after.Split('\n').ToHashSet(StringComparer.Ordinal);
        return old.Except(now).Select(l => "- " + Shorten(l)).Concat(now.Except(old).Select(l => "+ " + Shorten(l)));
    }

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "…";
}
