using System.Text.Json;

namespace Lucid.Testing.Data;

/// <summary>
/// The τ-bench airline trajectories in <c>shared/data/tau-bench</c>, found by walking up from the test assembly's
/// directory. Tests use trials 0 and 1 only; trials 2 and 3 are kept for acceptance checks.
/// </summary>
public static class TauBenchData
{
    private const string RelativePath = "shared/data/tau-bench/gpt-4o-airline.json";

    /// <summary>The full path of the trajectory file; throws, naming where it looked, when it is missing.</summary>
    public static string FilePath
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, RelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException($"The τ-bench data was not found: no '{RelativePath}' in {AppContext.BaseDirectory} or any directory above it.");
        }
    }

    /// <summary>The trajectories of the given trials, as a JSON array in source order.</summary>
    public static byte[] Trials(params int[] trials)
    {
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
