using System.CommandLine;
using System.Globalization;
using Lucid.Dreams;
using Lucid.Learning;
using Lucid.Memory;
using Lucid.Results;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid learning list|create|update|delete</c>: learning policies, which dream over a deployment's graded sessions.</summary>
internal static class LearningCommand
{
    private const string DefaultModel = "anthropic/claude-sonnet-4-5";

    public static Command Create(CliContext context)
    {
        var workspace = new Option<string>("--workspace") { Description = "The workspace whose policies these are.", DefaultValueFactory = _ => Workspaces.Default };
        var id = new Argument<string>("id") { Description = "The policy's ID (lrnp_…)." };
        var after = new Option<int?>("--after") { Description = "Dream once this many new sessions of the deployment have a grader's verdict (1 to 100)." };
        var cron = new Option<string?>("--cron") { Description = "Or dream at each tick of this 5-field cron expression that finds new graded sessions." };
        var timezone = new Option<string>("--timezone") { Description = "The cron expression's IANA time zone.", DefaultValueFactory = _ => "UTC" };
        var model = new Option<string?>("--model", "-m") { Description = $"The model that runs the dreams (default {DefaultModel})." };
        var instructions = new Option<string?>("--instructions") { Description = "Guidance for the dreams, up to 4,096 characters (\"\" clears it on update)." };
        var review = new Option<string?>("--review") { Description = "required (the default: a dream writes nothing until its changes are accepted and the review finished) or none." };

        var list = new Command("list", "List the workspace's learning policies.") { workspace };
        list.SetAction((parse, ct) => WithServiceAsync(context, async service =>
        {
            var policies = await service.ListAsync(parse.GetValue(workspace)!, ct);
            if (policies.Count == 0)
            {
                context.Console.MarkupLine("[grey]No learning policies. Add one with: lucid learning create --deployment depl_… --store memstore_… --after 10[/]");
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("ID", "Deployment", "Store", "Trigger", "Review", "State", "Last dream", "Learned until", "Last error");
            foreach (var p in policies)
            {
                table.AddRow(Markup.Escape(p.Id), Markup.Escape(p.DeploymentId), Markup.Escape(p.MemoryStoreId), Markup.Escape(Trigger(p.Trigger)),
                    p.ReviewRequired ? "required" : "[yellow]none[/]", p.Enabled ? "enabled" : "[yellow]disabled[/]", Markup.Escape(p.LastDreamId ?? "–"),
                    p.LearnedUntil?.ToString("u", CultureInfo.InvariantCulture) ?? "–", Markup.Escape(p.LastError ?? ""));
            }

            context.Console.Write(table);
            return 0;
        }));

        var deployment = new Option<string>("--deployment") { Description = "The deployment whose graded sessions are learned from (depl_…).", Required = true };
        var store = new Option<string>("--store") { Description = "The memory store the dreams update: one the deployment's sessions mount (memstore_…).", Required = true };
        var create = new Command("create", "Add a learning policy to a deployment.") { deployment, store, after, cron, timezone, model, instructions, review, workspace };
        create.SetAction((parse, ct) => WithServiceAsync(context, async service =>
        {
            if (ReadReview(context, parse.GetValue(review), out var reviewRequired))
            {
                return 2;
            }

            var created = await service.CreateAsync(parse.GetValue(workspace)!, new LearningDraft
            {
                DeploymentId = parse.GetRequiredValue(deployment),
                MemoryStoreId = parse.GetRequiredValue(store),
                Trigger = ReadTrigger(parse.GetValue(after), parse.GetValue(cron), parse.GetValue(timezone)!) ?? new LearningTrigger(),
                Model = parse.GetValue(model) ?? DefaultModel,
                Instructions = parse.GetValue(instructions),
                ReviewRequired = reviewRequired,
            }, ct);
            return Report(context, created, "Learning policy", "Dreams start when a running `lucid serve` finds the trigger fired; review them with lucid dream changes|accept|reject|finish.");
        }));

        var enable = new Option<bool>("--enable") { Description = "Let the policy dream again." };
        var disable = new Option<bool>("--disable") { Description = "Stop the policy from dreaming." };
        var update = new Command("update", "Change a policy's trigger, model, instructions, review or state.") { id, after, cron, timezone, model, instructions, review, enable, disable, workspace };
        update.SetAction((parse, ct) => WithServiceAsync(context, async service =>
        {
            if (ReadReview(context, parse.GetValue(review), out var reviewRequired))
            {
                return 2;
            }

            var updated = await service.UpdateAsync(parse.GetValue(workspace)!, parse.GetRequiredValue(id), new LearningDraft
            {
                Trigger = ReadTrigger(parse.GetValue(after), parse.GetValue(cron), parse.GetValue(timezone)!),
                Model = parse.GetValue(model),
                Instructions = parse.GetValue(instructions),
                ReviewRequired = reviewRequired,
                Enabled = parse.GetValue(enable) ? true : parse.GetValue(disable) ? false : null,
            }, ct);
            return Report(context, updated, "Updated learning policy", null);
        }));

        var delete = new Command("delete", "Delete a policy; its dreams stay.") { id, workspace };
        delete.SetAction((parse, ct) => WithServiceAsync(context, async service =>
            Report(context, await service.DeleteAsync(parse.GetValue(workspace)!, parse.GetRequiredValue(id), ct), "Deleted learning policy", null)));

        return new Command("learning", "Manage learning policies: reviewed dreams over a deployment's graded sessions, after N of them or on a schedule.") { list, create, update, delete };
    }

    private static LearningTrigger? ReadTrigger(int? after, string? cron, string timezone) =>
        after is null && cron is null ? null : new LearningTrigger { GradedSessions = after, Cron = cron, Timezone = timezone };

    private static string Trigger(LearningTrigger trigger) => trigger.GradedSessions is { } count
        ? string.Create(CultureInfo.InvariantCulture, $"after {count} graded sessions")
        : $"cron {trigger.Cron} ({trigger.Timezone})";

    // True when the value is neither required nor none (and says so).
    private static bool ReadReview(CliContext context, string? value, out bool? required)
    {
        required = value switch { "required" => true, "none" => false, _ => null };
        if (value is null || required is not null)
        {
            return false;
        }

        context.Console.MarkupLine($"[red]error:[/] --review must be required or none, not '{Markup.Escape(value)}'.");
        return true;
    }

    private static int Report(CliContext context, Result<LearningPolicy> result, string done, string? hint)
    {
        if (!result.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(result.Error.Message)}");
            return result.Error.Kind == ErrorKind.NotFound ? 1 : 2;
        }

        var p = result.Value!;
        context.Console.MarkupLine($"{done} {Markup.Escape(p.Id)}: deployment {Markup.Escape(p.DeploymentId)} → store {Markup.Escape(p.MemoryStoreId)}, {Markup.Escape(Trigger(p.Trigger))}, review {(p.ReviewRequired ? "required" : "none")}, {(p.Enabled ? "enabled" : "disabled")}.");
        if (hint is not null)
        {
            context.Console.MarkupLine($"[grey]{Markup.Escape(hint)}[/]");
        }

        return 0;
    }

    private static async Task<int> WithServiceAsync(CliContext context, Func<LearningService, Task<int>> work)
    {
        var models = LocalServices.Models(context);
        if (!models.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(models.Error.Message)}");
            return 2;
        }

        using var resolver = models.Value;
        await using var store = await LocalServices.OpenStoreAsync(context, CancellationToken.None);
        return await work(new LearningService(store, new DreamService(store, new MemoryService(store), resolver)));
    }
}
