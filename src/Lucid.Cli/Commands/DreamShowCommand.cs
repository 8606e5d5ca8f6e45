using System.CommandLine;
using System.Globalization;
using Lucid.Dreams;
using Lucid.Memory;
using Lucid.Storage;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid dream show ID</c>: a dream's status, its lessons' lifts when it validated them, its report, and the diff between its input and output stores.</summary>
internal static class DreamShowCommand
{
    public static Command Create(CliContext context) =>
        DreamCommand.OnDream("show", "Print a dream's status, its report, and the diff between its input and output stores.",
            (id, workspace, ct) => ShowAsync(context, id, workspace, ct));

    private static async Task<int> ShowAsync(CliContext context, string id, string workspace, CancellationToken cancellationToken)
    {
        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var memory = new MemoryService(store);
        var dream = await store.GetDreamAsync(id, cancellationToken);
        if (dream is null || dream.WorkspaceId != workspace)
        {
            context.Console.MarkupLine($"[red]error:[/] Dream '{Markup.Escape(id)}' was not found.");
            return 1;
        }

        var output = context.Console.Profile.Out.Writer;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"dream {dream.Id}: {dream.Status.ToWire()}{(dream.Error is { } e ? $" ({e.Type}: {e.Message})" : "")}; input {dream.InputStoreId}, output {dream.OutputStoreId ?? "none yet"}, session {dream.SessionId ?? "none yet"}; tokens {dream.Usage.InputTokens} in, {dream.Usage.OutputTokens} out"));
        if (dream.Validation is { Lessons.Count: > 0 } validation)
        {
            DreamValidationTable.Write(context.Console, validation);
        }

        if (dream.OutputStoreId is not { } outputId)
        {
            return 0;
        }

        var report = await memory.FindMemoryAsync(workspace, outputId, dream.ReportPath, cancellationToken);
        await output.WriteLineAsync();
        await output.WriteLineAsync(report.IsSuccess ? report.Value.Content : "(no report yet)");
        await output.WriteLineAsync("## Diff between the input and output stores");
        await output.WriteLineAsync();
        var diff = dream.OutputBehavior == DreamOutputBehavior.CreateNew
            ? await StoreDiffAsync(memory, dream.WorkspaceId, dream.InputStoreId, outputId, cancellationToken)
            : await VersionsWrittenAsync(store, dream, outputId, cancellationToken);
        foreach (var line in diff)
        {
            await output.WriteLineAsync(line);
        }

        return 0;
    }

    // update_existing: the versions the dream wrote.
    private static async Task<List<string>> VersionsWrittenAsync(ILucidStore store, Dream dream, string outputId, CancellationToken cancellationToken)
    {
        var versions = new List<MemoryVersion>();
        string? cursor = null;
        do
        {
            var page = await store.ListMemoryVersionsAsync(outputId, new MemoryVersionQuery { ActorKind = MemoryActorKind.Dream }, new PageRequest(100, cursor), cancellationToken);
            versions.AddRange(page.Items.Where(v => v.CreatedBy.DreamId == dream.Id));
            cursor = page.NextPage;
        }
        while (cursor is not null);

        return [.. versions.OrderBy(v => v.CreatedAt).Select(v => $"{(v.Operation == MemoryOperation.Created ? "+" : v.Operation == MemoryOperation.Deleted ? "-" : "~")} {v.Path} ({v.Id})")];
    }

    // create_new: the output store against the input store, path by path, with the lines each side lacks.
    private static async Task<List<string>> StoreDiffAsync(MemoryService memory, string workspace, string inputId, string outputId, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var before = await ContentsAsync(memory, workspace, inputId, cancellationToken);
        var after = await ContentsAsync(memory, workspace, outputId, cancellationToken);
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var had = before.TryGetValue(path, out var old);
            var has = after.TryGetValue(path, out var now);
            if (had && has && old == now)
            {
                continue;
            }

            lines.Add($"{(!had ? "+" : !has ? "-" : "~")} {path}");
            var oldLines = (old ?? "").Split('\n');
            var newLines = (now ?? "").Split('\n');
            lines.AddRange(oldLines.Except(newLines).Where(l => l.Length > 0).Select(l => $"    - {l}"));
            lines.AddRange(newLines.Except(oldLines).Where(l => l.Length > 0).Select(l => $"    + {l}"));
        }

        return lines;
    }

    private static async Task<Dictionary<string, string>> ContentsAsync(MemoryService memory, string workspace, string storeId, CancellationToken cancellationToken)
    {
        var all = await memory.ReadAllAsync(workspace, storeId, "/", includeContent: true, cancellationToken);
        return all.IsSuccess
            ? all.Value.Where(m => !Dream.IsReportPath(m.Path)).ToDictionary(m => m.Path, m => m.Content ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
