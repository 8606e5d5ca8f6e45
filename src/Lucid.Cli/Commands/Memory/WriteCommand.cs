using System.CommandLine;
using Lucid.Cli.Rendering;
using Lucid.Memory;

namespace Lucid.Cli.Commands.Memory;

/// <summary><c>lucid memory write STORE PATH [-f FILE | -c TEXT] [--if-sha SHA]</c>: create a memory or replace its content.</summary>
internal static class WriteCommand
{
    public static Command Create(MemoryVerb verb)
    {
        var store = MemoryArguments.Store();
        var path = MemoryArguments.Path("path");
        var file = new Option<string?>("--file", "-f") { Description = "Read the content from this file (default: standard input)." };
        var content = new Option<string?>("--content", "-c") { Description = "The content, given inline." };
        var ifSha = MemoryArguments.IfSha();
        var write = new Command("write", "Create a memory or replace its content.") { store, path, file, content, ifSha };
        write.SetAction((p, ct) => verb.RunAsync(p, store, (s, found) => WriteAsync(s, found, p.GetRequiredValue(path), p.GetValue(file), p.GetValue(content), p.GetValue(ifSha), ct), ct));
        return write;
    }

    private static async Task<int> WriteAsync(MemoryScope s, MemoryStore store, string path, string? file, string? inline, string? ifSha, CancellationToken cancellationToken)
    {
        if (file is not null && inline is not null)
        {
            return s.Fail("give the content with --file or --content, not both.");
        }

        var text = inline ?? (file is not null ? await File.ReadAllTextAsync(file, cancellationToken) : await Console.In.ReadToEndAsync(cancellationToken));
        var written = await s.Memory.WriteAtPathAsync(s.Workspace, store.Id, path, text, ifSha, s.Actor, cancellationToken);
        return s.Finish(written, memory => MemoryRenderer.Written(s.Console, path, memory));
    }
}
