using System.CommandLine;
using System.Globalization;
using Lucid.Auth;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid keys create|list|revoke</c>: API keys of the server. A key is shown once; only its hash is stored.</summary>
internal static class KeysCommand
{
    public static Command Create(CliContext context)
    {
        var workspace = new Option<string>("--workspace") { Description = "The workspace the key acts in; keys of one workspace cannot see another's resources.", DefaultValueFactory = _ => Workspaces.Default };
        var name = new Option<string?>("--name") { Description = "A name to recognize the key by." };
        var create = new Command("create", "Create an API key and print it once.") { workspace, name };
        create.SetAction(async (parse, ct) =>
        {
            await using var store = await LocalServices.OpenStoreAsync(context, ct);
            var created = await new ApiKeyService(store).CreateAsync(parse.GetValue(workspace) ?? Workspaces.Default, parse.GetValue(name), ct);
            if (!created.IsSuccess)
            {
                context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(created.Error.Message)}");
                return 2;
            }

            context.Console.MarkupLine($"API key {Markup.Escape(created.Value.Key.Id)} for workspace [bold]{Markup.Escape(created.Value.Key.WorkspaceId)}[/] (shown only this once):");
            context.Console.WriteLine(created.Value.Secret);
            return 0;
        });

        var list = new Command("list", "List API keys (their prefixes; keys themselves are not stored).");
        list.SetAction(async (parse, ct) =>
        {
            await using var store = await LocalServices.OpenStoreAsync(context, ct);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("ID", "Workspace", "Name", "Starts with", "Created", "Revoked");
            foreach (var key in await new ApiKeyService(store).ListAsync(ct))
            {
                table.AddRow(Markup.Escape(key.Id), Markup.Escape(key.WorkspaceId), Markup.Escape(key.Name ?? ""), Markup.Escape(key.Prefix + "…"),
                    Time(key.CreatedAt), key.RevokedAt is { } revoked ? $"[red]revoked {Time(revoked)}[/]" : "");
            }

            context.Console.Write(table);
            return 0;
        });

        return new Command("keys", "Manage the server's API keys.") { create, list, Revoke(context) };
    }

    private static Command Revoke(CliContext context)
    {
        var id = new Argument<string>("id") { Description = "The key's ID (key_…), as lucid keys list shows it." };
        var revoke = new Command("revoke", "Revoke an API key: it is kept, listed as revoked, and refused from now on.") { id };
        revoke.SetAction(async (parse, ct) =>
        {
            await using var store = await LocalServices.OpenStoreAsync(context, ct);
            var revoked = await new ApiKeyService(store).RevokeAsync(parse.GetValue(id) ?? "", ct);
            if (!revoked.IsSuccess)
            {
                context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(revoked.Error.Message)}");
                return 1;
            }

            var key = revoked.Value;
            context.Console.MarkupLine($"Revoked {Markup.Escape(key.Id)} (workspace [bold]{Markup.Escape(key.WorkspaceId)}[/], {Markup.Escape(key.Prefix)}…).");
            context.Console.MarkupLine($"A running server refuses it within {ApiKeyService.CacheFor.TotalSeconds:0} seconds (the time it trusts a key it has read).");
            return 0;
        });

        return revoke;
    }

    private static string Time(DateTimeOffset time) => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
