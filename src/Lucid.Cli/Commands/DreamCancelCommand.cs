using System.CommandLine;
using Lucid.Dreams;
using Lucid.Memory;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid dream cancel ID</c>: cancels a pending or running dream, releasing the store it held.</summary>
internal static class DreamCancelCommand
{
    public static Command Create(CliContext context) =>
        DreamCommand.OnDream("cancel", "Cancel a pending or running dream (one left running by a stopped process too), releasing the store it held.",
            (id, workspace, ct) => CancelAsync(context, id, workspace, ct));

    private static async Task<int> CancelAsync(CliContext context, string id, string workspace, CancellationToken cancellationToken)
    {
        var models = LocalServices.Models(context);
        if (!models.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(models.Error.Message)}");
            return 2;
        }

        await using var store = await LocalServices.OpenStoreAsync(context, cancellationToken);
        var canceled = await new DreamService(store, new MemoryService(store), models.Value).CancelAsync(workspace, id, cancellationToken);
        if (!canceled.IsSuccess)
        {
            context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(canceled.Error.Message)}");
            return 1;
        }

        context.Console.MarkupLine($"dream {canceled.Value.Id}: {canceled.Value.Status.ToWire()}");
        return 0;
    }
}
