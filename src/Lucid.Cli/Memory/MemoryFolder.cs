using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Memory;

namespace Lucid.Cli.Memory;

/// <summary>
/// A folder of markdown files that mirrors a memory store: <c>lucid memory pull</c> writes it, people edit and review it
/// (in git, say), and <c>lucid memory push</c> applies the changes with content-hash preconditions. The folder keeps the
/// hashes it was pulled at in <c>.lucid-memory.json</c>, so a push can tell its own edits from someone else's.
/// </summary>
internal sealed class MemoryFolder
{
    /// <summary>The file that records what a pull wrote.</summary>
    public const string ManifestName = ".lucid-memory.json";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public MemoryFolder(string directory) => Directory = Path.GetFullPath(directory);

    public string Directory { get; }

    private string ManifestPath => Path.Combine(Directory, ManifestName);

    /// <summary>Each path's hash when the folder was pulled from <paramref name="storeId"/>; null when it was never pulled from that store.</summary>
    public Dictionary<string, string>? PulledFrom(string storeId)
    {
        if (!File.Exists(ManifestPath))
        {
            return null;
        }

        var root = JsonNode.Parse(File.ReadAllText(ManifestPath))?.AsObject()
            ?? throw new InvalidDataException($"{ManifestPath} is not a JSON object.");
        if (root["memory_store_id"]?.GetValue<string>() != storeId)
        {
            return null;
        }

        return root["memories"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public void WriteManifest(string storeId, IReadOnlyDictionary<string, string> hashes)
    {
        var memories = new JsonObject();
        foreach (var (path, sha) in hashes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            memories[path] = sha;
        }

        var root = new JsonObject { ["memory_store_id"] = storeId, ["memories"] = memories };
        File.WriteAllText(ManifestPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The file of a memory path.</summary>
    public string FileOf(string memoryPath) => Path.Combine(Directory, memoryPath[1..].Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Writes a memory's exact bytes.</summary>
    public void Write(string memoryPath, string content)
    {
        var file = FileOf(memoryPath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, StrictUtf8.GetBytes(content));
    }

    /// <summary>
    /// Every file of the folder as a memory path and its text, skipping the manifest and dot-directories such as
    /// <c>.git</c>; files that cannot be memories (not UTF-8, a path the rules refuse) are returned as problems.
    /// </summary>
    public (Dictionary<string, string> Files, List<string> Problems) ReadFiles()
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        if (!System.IO.Directory.Exists(Directory))
        {
            problems.Add($"{Directory} does not exist.");
            return (files, problems);
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Directory, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == ManifestName || relative.Split('/').Any(s => s.StartsWith('.')))
            {
                continue;
            }

            var memoryPath = "/" + relative;
            if (MemoryPaths.Validate(memoryPath) is { } invalid)
            {
                problems.Add($"{relative}: {invalid.Message}");
                continue;
            }

            try
            {
                var text = StrictUtf8.GetString(File.ReadAllBytes(file));
                if (MemoryPaths.ValidateContent(text) is { } tooBig)
                {
                    problems.Add($"{relative}: {tooBig.Message}");
                    continue;
                }

                files[memoryPath] = text;
            }
            catch (DecoderFallbackException)
            {
                problems.Add($"{relative}: not UTF-8 text; memories are UTF-8.");
            }
        }

        return (files, problems);
    }

    /// <summary>The edits that make the store match the folder, against the hashes the folder was pulled at.</summary>
    public static List<MemoryEdit> Plan(IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, string> pulled)
    {
        var edits = new List<MemoryEdit>();
        foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!pulled.TryGetValue(path, out var sha))
            {
                edits.Add(MemoryEdit.Create(path, content));
            }
            else if (MemoryPaths.Sha256(content) != sha)
            {
                edits.Add(MemoryEdit.Update(path, content, sha));
            }
        }

        edits.AddRange(pulled.Keys.Where(p => !files.ContainsKey(p)).Order(StringComparer.Ordinal).Select(p => MemoryEdit.Delete(p, pulled[p])));
        return edits;
    }
}
