using System.Text;
using Lucid.Events;
using Lucid.Importing;
using Lucid.Testing.Storage;

namespace Lucid.Core.Tests.Importing;

/// <summary>An importer over an in-memory store, reading session-log folders as <c>lucid import</c> does.</summary>
internal sealed class SessionLogImport : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lucid-import-").FullName;

    public InMemoryStore Store { get; } = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private TranscriptImporter Importer => new(Store, new EventHub(Store), new ImportOptions { WorkDirectoriesRoot = _root });

    public async Task<ImportReport> FolderAsync(string format, string directory)
    {
        var streams = SessionLogFiles.Under(format, directory).Select(p => new ImportFile(p, File.OpenRead(Path.Combine(directory, p)))).ToList();
        try
        {
            var report = await Importer.ImportAsync("ws", format, Path.GetFileName(directory), streams, CancellationToken.None);
            Assert.True(report.IsSuccess);
            return report.Value;
        }
        finally
        {
            streams.ForEach(f => f.Content.Dispose());
        }
    }

    public async Task<ImportReport> TextAsync(string format, string jsonl)
    {
        var report = await Importer.ImportAsync("ws", format, "upload", new MemoryStream(Encoding.UTF8.GetBytes(jsonl)), CancellationToken.None);
        Assert.True(report.IsSuccess);
        return report.Value;
    }

    public async Task<List<SessionEvent>> EventsAsync(string logId) =>
        [.. (await Store.ReadAsync(logId, 0, 10_000, CancellationToken.None)).Select(e => e.Event)];

    public async Task<string> SessionOfAsync(ImportReport report, string metadataKey, string sourceId)
    {
        foreach (var imported in report.Imported)
        {
            if ((await Store.GetSessionAsync(imported.SessionId, CancellationToken.None))?.Metadata.GetValueOrDefault(metadataKey) == sourceId)
            {
                return imported.SessionId;
            }
        }

        throw new InvalidOperationException($"No imported session has {metadataKey} = {sourceId}.");
    }
}
