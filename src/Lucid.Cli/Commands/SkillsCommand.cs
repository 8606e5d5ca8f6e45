using System.CommandLine;
using Lucid.Files;
using Lucid.Results;
using Lucid.Skills;
using Lucid.Storage;
using Spectre.Console;

namespace Lucid.Cli.Commands;

/// <summary><c>lucid skills list|upload|versions|delete</c>: a workspace's custom skills in the local data directory.</summary>
internal static class SkillsCommand
{
    public static Command Create(CliContext context)
    {
        var workspace = new Option<string>("--workspace") { Description = "The workspace whose skills these are.", DefaultValueFactory = _ => Workspaces.Default };
        var id = new Argument<string>("id") { Description = "The skill's ID (skill_…)." };

        var list = new Command("list", "List the workspace's skills.") { workspace };
        list.SetAction((parse, ct) => WithSkillsAsync(context, async skills =>
        {
            var page = await skills.ListAsync(parse.GetValue(workspace)!, new PageRequest(1000), ct);
            if (page.Items.Count == 0)
            {
                context.Console.MarkupLine("[grey]No skills. Upload one with: lucid skills upload ./my-skill[/]");
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("ID", "Name", "Latest version", "Updated");
            foreach (var skill in page.Items)
            {
                table.AddRow(Markup.Escape(skill.Id), Markup.Escape(skill.DisplayName), Markup.Escape(skill.LatestVersionId ?? ""), skill.UpdatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            }

            context.Console.Write(table);
            return 0;
        }));

        var directory = new Argument<string>("directory") { Description = "The skill's folder, with its SKILL.md at the root." };
        var skillOption = new Option<string?>("--skill") { Description = "Add the upload as a new version of this skill (skill_…) instead of creating one." };
        var displayName = new Option<string?>("--display-name") { Description = "A label for a new skill (its name when absent)." };
        var upload = new Command("upload", "Upload a folder as a new skill, or as a new version of one with --skill.") { directory, skillOption, displayName, workspace };
        upload.SetAction((parse, ct) => WithSkillsAsync(context, async skills =>
        {
            var parts = Parts(parse.GetRequiredValue(directory));
            if (!parts.IsSuccess)
            {
                return Fail(context, parts.Error);
            }

            try
            {
                if (parse.GetValue(skillOption) is { } skillId)
                {
                    var version = await skills.CreateVersionAsync(parse.GetValue(workspace)!, skillId, parts.Value!, ct);
                    return version.IsSuccess ? Done(context, $"Added version {version.Value!.Id} to {skillId} ({version.Value.Name}).") : Fail(context, version.Error);
                }

                var created = await skills.CreateAsync(parse.GetValue(workspace)!, parse.GetValue(displayName), parts.Value!, ct);
                return created.IsSuccess ? Done(context, $"Created {created.Value!.Id} ({created.Value.Name}), version {created.Value.LatestVersionId}.") : Fail(context, created.Error);
            }
            finally
            {
                foreach (var part in parts.Value!)
                {
                    await part.Content.DisposeAsync();
                }
            }
        }));

        var versions = new Command("versions", "List a skill's versions, newest first.") { id, workspace };
        versions.SetAction((parse, ct) => WithSkillsAsync(context, async skills =>
        {
            var skill = await skills.GetAsync(parse.GetValue(workspace)!, parse.GetRequiredValue(id), ct);
            if (!skill.IsSuccess)
            {
                return Fail(context, skill.Error);
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Version", "Created", "Files", "Description");
            foreach (var version in (await skills.ListVersionsAsync(skill.Value!, new PageRequest(1000), ct)).Items)
            {
                table.AddRow(Markup.Escape(version.Id), version.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), version.Files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(version.Description));
            }

            context.Console.Write(table);
            return 0;
        }));

        var delete = new Command("delete", "Delete a skill with all its versions.") { id, workspace };
        delete.SetAction((parse, ct) => WithSkillsAsync(context, async skills =>
        {
            var deleted = await skills.DeleteAsync(parse.GetValue(workspace)!, parse.GetRequiredValue(id), ct);
            return deleted.IsSuccess ? Done(context, $"Deleted {deleted.Value!.Id} and its versions.") : Fail(context, deleted.Error);
        }));

        return new Command("skills", "Manage custom skills: folders of instructions and files that agents load in their sessions.") { list, upload, versions, delete };
    }

    // The folder's files as parts at <folder name>/<relative path>; a link inside it is refused rather than followed.
    private static Result<List<SkillPart>> Parts(string directory)
    {
        var root = new DirectoryInfo(Path.GetFullPath(directory));
        if (!root.Exists)
        {
            return LucidError.Invalid("directory", $"{directory} is not a directory.");
        }

        var entries = root.EnumerateFileSystemInfos("*", SearchOption.AllDirectories).ToList();
        if (entries.FirstOrDefault(e => e.LinkTarget is not null) is { } link)
        {
            return LucidError.Invalid("directory", $"{Path.GetRelativePath(root.FullName, link.FullName)} is a symbolic link; a skill holds regular files only.");
        }

        return entries.OfType<FileInfo>()
            .Select(f => new SkillPart($"{root.Name}/{Path.GetRelativePath(root.FullName, f.FullName).Replace('\\', '/')}", null, f.OpenRead()))
            .ToList();
    }

    private static async Task<int> WithSkillsAsync(CliContext context, Func<SkillService, Task<int>> work)
    {
        await using var store = await LocalServices.OpenStoreAsync(context, CancellationToken.None);
        return await work(new SkillService(store, BlobStores.For(store, context.Home.FilesRoot), store, TimeProvider.System, Ids.IdGenerator.Random));
    }

    private static int Done(CliContext context, string message)
    {
        context.Console.MarkupLine(Markup.Escape(message));
        return 0;
    }

    private static int Fail(CliContext context, LucidError error)
    {
        context.Console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
        return 1;
    }
}
