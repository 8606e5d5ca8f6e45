using System.CommandLine;
using Lucid.Dreams;
using Lucid.Dreams.Review;
using Lucid.Events;
using Lucid.Memory;
using Lucid.Results;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary>
/// The review of a dream created with <c>lucid dream --review</c> (or <c>"review": "required"</c> over the API), over the
/// local store: <c>lucid dream changes ID</c> prints its proposed changes with their diffs, <c>lucid dream accept|reject
/// ID CHANGE_ID</c> decides one (accepting an <c>add_skill</c> creates its skill in the local store), <c>lucid dream
/// finish ID</c> writes the accepted ones and the report. The work is <see cref="DreamReviewService"/>'s, as for the server.
/// </summary>
internal static class DreamReviewCommand
{
    public static IEnumerable<Command> Create(CliContext context) =>
    [
        DreamCommand.OnDream("changes", "Print the changes a dream waiting for review proposes, with their diffs and decisions.",
            (id, workspace, ct) => RunAsync(context, workspace, async (reviews, ws) => Print(context, id, await reviews.ListChangesAsync(ws, id, ct)), ct)),
        Decide(context, "accept", DreamDecision.Accepted, "Accept one proposed change of a dream: it is written when the review is finished."),
        Decide(context, "reject", DreamDecision.Rejected, "Reject one proposed change of a dream: it is never written; the report lists it."),
        DreamCommand.OnDream("finish", "Finish a dream's review: write the accepted changes and the report (every change must be decided).",
            (id, workspace, ct) => RunAsync(context, workspace, async (reviews, ws) => Finished(context, await reviews.FinishAsync(ws, id, context.LocalUser, ct)), ct)),
    ];

    private static Command Decide(CliContext context, string name, DreamDecision decision, string description) =>
        DreamCommand.OnChange(name, description, (id, changeId, workspace, ct) => RunAsync(context, workspace, async (reviews, ws) =>
        {
            var decided = await reviews.DecideAsync(ws, id, changeId, decision, context.LocalUser, ct);
            if (!decided.IsSuccess)
            {
                return Error(context, decided.Error);
            }

            context.Console.MarkupLine($"{decided.Value.Id}: [bold]{decided.Value.Decision.ToWire()}[/] ({decided.Value.Op.ToWire()} {Markup.Escape(decided.Value.Path)})");
            if (decided.Value.SkillId is { } skill)
            {
                context.Console.MarkupLine($"created skill {skill} version {decided.Value.SkillVersionId} (lucid skills versions {skill})");
            }

            return 0;
        }, ct));

    // The local store, the review service over it, and the host's secrets kept out of the report as `lucid dream` keeps them.
    private static async Task<int> RunAsync(CliContext context, string workspace, Func<DreamReviewService, string, Task<int>> work, CancellationToken cancellationToken)
    {
        var providers = LocalServices.Providers(context);
        if (!providers.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(providers.Error.Message)}");
            return 2;
        }

        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var options = new DreamOptions { KnownSecrets = providers.Value.KnownSecrets(), VaultKey = Vaults.SecretBox.FromKeyFile(context.Home.VaultKeyPath) };
        var skills = new Skills.SkillService(store, Files.BlobStores.For(store, context.Home.FilesRoot), store, TimeProvider.System, Ids.IdGenerator.Random);
        return await work(new DreamReviewService(store, new MemoryService(store), new EventHub(store), options, skills: skills), workspace);
    }

    private static int Print(CliContext context, string id, Result<IReadOnlyList<DreamProposedChange>> changes)
    {
        if (!changes.IsSuccess)
        {
            return Error(context, changes.Error);
        }

        var console = context.Console;
        console.MarkupLine(changes.Value.Count == 0 ? $"dream {id}: no proposed changes (yet)" : $"dream {id}: {changes.Value.Count} proposed changes");
        foreach (var change in changes.Value)
        {
            console.WriteLine();
            console.MarkupLine($"[bold]{change.Id}[/] {change.Op.ToWire()} {Markup.Escape(change.Path)}{(change.Sources.Count > 0 ? $" (from {Markup.Escape(string.Join(", ", change.Sources))})" : "")}: {Decision(change)}");
            console.WriteLine($"  why: {change.Reason.ReplaceLineEndings(" ")}");
            console.WriteLine($"  evidence: {string.Join(", ", change.EventIds)}");
            if (change.Skill is { } skill)
            {
                console.WriteLine($"  workflow: {skill.Workflow}{(change.SkillId is { } skillId ? $"; created as skill {skillId} version {change.SkillVersionId}" : "")}");
                foreach (var line in skill.Content.Split('\n').Where(l => l.Length > 0))
                {
                    console.WriteLine($"    + {line}");
                }

                continue;
            }

            var before = change.Replaces.SelectMany(r => r.Content.Split('\n')).Where(l => l.Length > 0).ToList();
            var after = (change.Content ?? "").Split('\n').Where(l => l.Length > 0).ToList();
            foreach (var line in before.Except(after))
            {
                console.WriteLine($"    - {line}");
            }

            foreach (var line in after.Except(before))
            {
                console.WriteLine($"    + {line}");
            }
        }

        return 0;
    }

    private static string Decision(DreamProposedChange change) => change.Decision switch
    {
        DreamDecision.Accepted => $"[green]accepted[/] by {Markup.Escape(change.DecidedBy ?? "")}",
        DreamDecision.Rejected => $"[red]rejected[/] by {Markup.Escape(change.DecidedBy ?? "")}",
        _ => "[yellow]pending[/]",
    };

    private static int Finished(CliContext context, Result<Dream> finished)
    {
        if (!finished.IsSuccess)
        {
            return Error(context, finished.Error);
        }

        var dream = finished.Value;
        var accepted = dream.Review?.Changes.Count(c => c.Decision == DreamDecision.Accepted) ?? 0;
        context.Console.MarkupLine($"[green]{dream.Status.ToWire()}[/]: wrote {accepted} accepted changes and the report to {dream.OutputStoreId}");
        context.Console.MarkupLine($"See what changed: lucid dream show {dream.Id}");
        return 0;
    }

    private static int Error(CliContext context, LucidError error)
    {
        context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
        return 1;
    }
}
