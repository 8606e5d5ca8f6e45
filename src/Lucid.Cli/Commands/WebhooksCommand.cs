using System.CommandLine;
using System.Globalization;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Webhooks;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid webhooks list|create|show|update|delete|rotate-secret</c>: a workspace's webhook endpoints and their delivery logs.</summary>
internal static class WebhooksCommand
{
    public static Command Create(CliContext context)
    {
        var workspace = new Option<string>("--workspace") { Description = "The workspace whose endpoints these are.", DefaultValueFactory = _ => Workspaces.Default };
        var allowPrivate = new Option<bool>("--allow-private")
        {
            Description = "Accept an http URL or a loopback or private address (the server delivers to one only when started with --webhooks-allow-private).",
        };
        var id = new Argument<string>("id") { Description = "The endpoint's ID (whep_…)." };

        var list = new Command("list", "List the workspace's webhook endpoints.") { workspace };
        list.SetAction((parse, ct) => WithStoreAsync(context, async store =>
        {
            var endpoints = await store.ListWebhookEndpointsAsync(parse.GetValue(workspace)!, ct);
            if (endpoints.Count == 0)
            {
                context.Console.MarkupLine("[grey]No webhook endpoints. Add one with: lucid webhooks create URL --event session.status_idled[/]");
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("ID", "Name", "URL", "State", "Events");
            foreach (var e in endpoints)
            {
                table.AddRow(Markup.Escape(e.Id), Markup.Escape(e.Name), Markup.Escape(e.Url), e.Enabled ? "enabled" : "[yellow]disabled[/]", Markup.Escape(string.Join(", ", e.EnabledEvents)));
            }

            context.Console.Write(table);
            return 0;
        }));

        var url = new Argument<string>("url") { Description = "Where deliveries are posted (https)." };
        var events = new Option<string[]>("--event", "-e")
        {
            Description = $"An event type to deliver (repeat for more): {string.Join(", ", WebhookEventTypes.All)}.",
            AllowMultipleArgumentsPerToken = true,
        };
        var name = new Option<string?>("--name") { Description = "A short label." };
        var description = new Option<string?>("--description") { Description = "Notes about the endpoint." };
        var create = new Command("create", "Add an endpoint and print its signing secret once.") { url, events, name, description, workspace, allowPrivate };
        create.SetAction((parse, ct) => WithStoreAsync(context, async store =>
        {
            var service = new WebhookService(store, new WebhookOptions { AllowPrivateAddresses = parse.GetValue(allowPrivate) });
            var created = await service.CreateAsync(parse.GetValue(workspace)!, new WebhookDraft
            {
                Url = parse.GetRequiredValue(url),
                EnabledEvents = parse.GetValue(events) ?? [],
                Name = parse.GetValue(name) ?? "",
                Description = parse.GetValue(description) ?? "",
            }, ct);
            if (Failed(context, created))
            {
                return 2;
            }

            context.Console.MarkupLine($"Webhook endpoint {Markup.Escape(created.Value!.Id)} → {Markup.Escape(created.Value.Url)}. Its signing secret (shown only this once; verify deliveries with any Standard Webhooks library):");
            context.Console.MarkupLine($"  [bold yellow]{Markup.Escape(created.Value.SigningSecret)}[/]");
            return 0;
        }));

        var deliveries = new Option<int>("--deliveries", "-n") { Description = "How many of the latest deliveries to show.", DefaultValueFactory = _ => 20 };
        var show = new Command("show", "Show an endpoint and its latest deliveries with what each attempt got back.") { id, deliveries, workspace };
        show.SetAction((parse, ct) => WithStoreAsync(context, async store =>
        {
            var found = await new WebhookService(store, new WebhookOptions()).GetAsync(parse.GetValue(workspace)!, parse.GetRequiredValue(id), ct);
            if (Failed(context, found))
            {
                return 1;
            }

            var endpoint = found.Value!;
            var header = new Grid().AddColumn().AddColumn();
            header.AddRow("[grey]url[/]", Markup.Escape(endpoint.Url));
            header.AddRow("[grey]state[/]", endpoint.Enabled ? "enabled" : "disabled");
            header.AddRow("[grey]events[/]", Markup.Escape(string.Join(", ", endpoint.EnabledEvents)));
            context.Console.Write(new Panel(header).Header(Markup.Escape($"{endpoint.Id} {endpoint.Name}")).Border(BoxBorder.Rounded));
            var page = await store.ListWebhookDeliveriesAsync(endpoint.Id, new PageRequest(Math.Clamp(parse.GetValue(deliveries), 1, 1000)), ct);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Event", "Type", "State", "Attempts", "Last status", "Next attempt", "Last error");
            foreach (var d in page.Items)
            {
                table.AddRow(
                    Markup.Escape(d.Event.Id), Markup.Escape(d.Event.Type), WebhookDeliveryStates.Name(d.State),
                    d.Attempts.ToString(CultureInfo.InvariantCulture), d.LastStatus?.ToString(CultureInfo.InvariantCulture) ?? "",
                    d.NextAttemptAt?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "", Markup.Escape(d.LastError ?? ""));
            }

            context.Console.Write(table);
            return 0;
        }));

        var enable = new Option<bool>("--enable") { Description = "Resume deliveries." };
        var disable = new Option<bool>("--disable") { Description = "Stop deliveries (events that happen meanwhile are never delivered)." };
        var newUrl = new Option<string?>("--url") { Description = "A new URL." };
        var update = new Command("update", "Change an endpoint's URL, events, name, description or state.") { id, newUrl, events, name, description, enable, disable, workspace, allowPrivate };
        update.SetAction((parse, ct) => WithStoreAsync(context, async store =>
        {
            if (parse.GetValue(enable) && parse.GetValue(disable))
            {
                context.Console.MarkupLine("[red]error:[/] --enable and --disable cannot be combined.");
                return 2;
            }

            var service = new WebhookService(store, new WebhookOptions { AllowPrivateAddresses = parse.GetValue(allowPrivate) });
            var updated = await service.UpdateAsync(parse.GetValue(workspace)!, parse.GetRequiredValue(id), current => current with
            {
                Url = parse.GetValue(newUrl) ?? current.Url,
                EnabledEvents = parse.GetValue(events) is { Length: > 0 } types ? types : current.EnabledEvents,
                Name = parse.GetValue(name) ?? current.Name,
                Description = parse.GetValue(description) ?? current.Description,
                Enabled = parse.GetValue(enable) || (!parse.GetValue(disable) && current.Enabled),
            }, ct);
            if (Failed(context, updated))
            {
                return 2;
            }

            context.Console.MarkupLine($"Updated {Markup.Escape(updated.Value!.Id)}: {(updated.Value.Enabled ? "enabled" : "disabled")}, {Markup.Escape(string.Join(", ", updated.Value.EnabledEvents))}.");
            return 0;
        }));

        var delete = new Command("delete", "Delete an endpoint with its pending deliveries and its delivery log.") { id, workspace };
        delete.SetAction((parse, ct) => WithStoreAsync(context, async store =>
        {
            var deleted = await new WebhookService(store, new WebhookOptions()).DeleteAsync(parse.GetValue(workspace)!, parse.GetRequiredValue(id), ct);
            if (Failed(context, deleted))
            {
                return 1;
            }

            context.Console.MarkupLine($"Deleted {Markup.Escape(deleted.Value!)}.");
            return 0;
        }));

        var rotate = new Command("rotate-secret", "Replace an endpoint's signing secret and print the new one once.") { id, workspace };
        rotate.SetAction((parse, ct) => WithStoreAsync(context, async store =>
        {
            var rotated = await new WebhookService(store, new WebhookOptions()).RegenerateSecretAsync(parse.GetValue(workspace)!, parse.GetRequiredValue(id), ct);
            if (Failed(context, rotated))
            {
                return 1;
            }

            context.Console.MarkupLine("New signing secret (shown only this once; deliveries are signed with it from now on):");
            context.Console.MarkupLine($"  [bold yellow]{Markup.Escape(rotated.Value!.SigningSecret)}[/]");
            return 0;
        }));

        return new Command("webhooks", "Manage the webhook endpoints Lucid notifies of session, deployment run and memory store events.") { list, create, show, update, delete, rotate };
    }

    private static async Task<int> WithStoreAsync(CliContext context, Func<ILucidStore, Task<int>> work)
    {
        await using var store = await LocalServices.OpenStoreAsync(context, CancellationToken.None);
        return await work(store);
    }

    private static bool Failed<T>(CliContext context, Result<T> result)
    {
        if (result.IsSuccess)
        {
            return false;
        }

        context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(result.Error.Message)}");
        return true;
    }
}
