using System.Text.Json;

namespace Lucid.Testing.Data;

/// <summary>
/// The τ-bench airline trajectories, found by walking up from the test assembly's directory: the repository's copy of
/// trials 0 and 1 (<c>tests/data/tau-bench</c>), which tests use, or the whole file in <c>shared/data/tau-bench</c>
/// beside the repository, which the benchmark prefers. Trials 2 and 3 are kept for acceptance checks.
/// </summary>
public static class TauBenchData
{
    private const string TestSubset = "tests/data/tau-bench/gpt-4o-airline.trials-0-1.json";
    private const string FullFile = "shared/data/tau-bench/gpt-4o-airline.json";

    /// <summary>The repository's copy of trials 0 and 1; throws, naming where it looked, when it is missing.</summary>
    public static string FilePath => Find(TestSubset) ?? throw new FileNotFoundException(
        $"The τ-bench test data was not found: no '{TestSubset}' in {AppContext.BaseDirectory} or any directory above it.");

    /// <summary>All 200 trajectories when the shared data is beside the repository, else the repository's trials 0 and 1.</summary>
    public static string AllTrialsPath => Find(FullFile) ?? FilePath;

    private static string? Find(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The trajectories of the given trials (0 or 1), as a JSON array in source order.</summary>
    public static byte[] Trials(params int[] trials)
    {
        if (trials.Any(t => t is not (0 or 1)))
        {
            throw new ArgumentException("Tests use trials 0 and 1 only; trials 2 and 3 are kept for acceptance checks.", nameof(trials));
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(FilePath));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var record in document.RootElement.EnumerateArray().Where(r => trials.Contains(r.GetProperty("trial").GetInt32())))
            {
                record.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
