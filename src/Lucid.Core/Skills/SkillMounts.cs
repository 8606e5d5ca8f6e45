using System.Globalization;
using System.Text;
using Lucid.Agents;
using Lucid.Resources;
using Lucid.Sandboxing;

namespace Lucid.Skills;

/// <summary>
/// The skills a turn's agent loads: each pinned version's files, copied once into the session's area, bound read-only
/// at <c>/mnt/skills/&lt;name&gt;</c>; and the system prompt's list of them (name, description, where the SKILL.md is —
/// not its body, which the agent reads when a task calls for it).
/// </summary>
public sealed class SkillMounts
{
    /// <summary>Where skills appear in a session's sandbox.</summary>
    public const string MountRoot = "/mnt/skills";

    private SkillMounts(IReadOnlyList<SandboxMount> mounts, string prompt)
    {
        Mounts = mounts;
        Prompt = prompt;
    }

    /// <summary>The read-only binds of the skills' directories.</summary>
    public IReadOnlyList<SandboxMount> Mounts { get; }

    /// <summary>The skills section of the system prompt.</summary>
    public string Prompt { get; }

    /// <summary>Copies the skills' files into the session's area (once per version) and describes them.</summary>
    public static async Task<SkillMounts> PrepareAsync(SkillService skills, string workspaceId, IReadOnlyList<AgentSkill> pinned, SessionArea area, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skills);
        ArgumentNullException.ThrowIfNull(pinned);
        ArgumentNullException.ThrowIfNull(area);
        var mounts = new List<SandboxMount>();
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""
            <skills>
            Skills are folders of instructions, scripts and resources for particular tasks, mounted read-only under {MountRoot}/. When a task matches a skill's description, read its SKILL.md first with bash (cat {MountRoot}/<name>/SKILL.md) and follow it; it may point to more files in its folder.

            """);
        foreach (var skill in pinned)
        {
            var version = await skills.GetVersionAsync(workspaceId, skill.SkillId, skill.VersionId, cancellationToken);
            if (!version.IsSuccess)
            {
                text.Append(CultureInfo.InvariantCulture, $"- ({skill.SkillId} version {skill.VersionId} was deleted and is not available)\n");
                continue;
            }

            var path = $"{MountRoot}/{version.Value.Name}";
            mounts.Add(new SandboxMount(await CopyOnceAsync(skills, version.Value, area.SkillCopy(version.Value.Id), cancellationToken), path, ReadOnly: true));
            text.Append(CultureInfo.InvariantCulture, $"- {version.Value.Name}: {version.Value.Description} ({path}/{SkillManifest.FileName})\n");
        }

        return new SkillMounts(mounts, text.Append("</skills>").ToString());
    }

    // A version never changes, so its copy is made once: whole in a directory beside the target, then moved into place.
    private static async Task<string> CopyOnceAsync(SkillService skills, SkillVersion version, string target, CancellationToken cancellationToken)
    {
        if (Directory.Exists(target))
        {
            return target;
        }

        var partial = $"{target}.partial-{Guid.NewGuid():N}";
        try
        {
            await skills.CopyToAsync(version, partial, cancellationToken);
            Directory.Move(partial, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // Another thread of the session made the copy first.
        }
        finally
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }

        return target;
    }
}
