using System.Text;
using Lucid.Results;
using Lucid.Skills;

namespace Lucid.Dreams.Review;

/// <summary>
/// Creates the skill of an <c>add_skill</c> change a reviewer accepts, through the <see cref="SkillService"/>: a new
/// skill, or a new version of the workspace's skill of that name. When the acceptance itself is then refused (the
/// change was decided meanwhile, the dream canceled), <see cref="UndoAsync"/> deletes what was created.
/// </summary>
internal sealed class DreamSkillAcceptance(SkillService? skills)
{
    /// <summary>What accepting a skill created.</summary>
    /// <param name="SkillId">The skill.</param>
    /// <param name="VersionId">Its version made from the proposal.</param>
    /// <param name="NewSkill">Whether the skill itself was created (else only the version was added).</param>
    public sealed record Created(string SkillId, string VersionId, bool NewSkill);

    /// <summary>Creates the skill; an error (nothing created) says why it could not be.</summary>
    public async Task<Result<Created>> CreateAsync(string workspaceId, DreamSkill skill, CancellationToken cancellationToken)
    {
        if (skills is null)
        {
            return Refused(skill, "this host has no Skills API.");
        }

        try
        {
            IReadOnlyList<SkillPart> upload = [new SkillPart($"{skill.Name}/{SkillManifest.FileName}", "text/markdown", new MemoryStream(Encoding.UTF8.GetBytes(skill.Content), writable: false))];
            if (await skills.FindByNameAsync(workspaceId, skill.Name, cancellationToken) is { } existing)
            {
                var version = await skills.CreateVersionAsync(workspaceId, existing.Id, upload, cancellationToken);
                return version.IsSuccess ? new Created(existing.Id, version.Value.Id, false) : Refused(skill, version.Error.Message);
            }

            var created = await skills.CreateAsync(workspaceId, null, upload, cancellationToken);
            return created.IsSuccess && created.Value.LatestVersionId is { } versionId
                ? new Created(created.Value.Id, versionId, true)
                : Refused(skill, created.IsSuccess ? "it has no version." : created.Error.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Refused(skill, ex.Message);
        }
    }

    /// <summary>Deletes what <see cref="CreateAsync"/> created: the skill when it was new, else the version it added.</summary>
    public async Task UndoAsync(string workspaceId, Created created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(created);
        if (skills is null)
        {
            return;
        }

        _ = created.NewSkill
            ? (await skills.DeleteAsync(workspaceId, created.SkillId, cancellationToken)).IsSuccess
            : (await skills.DeleteVersionAsync(workspaceId, created.SkillId, created.VersionId, cancellationToken)).IsSuccess;
    }

    private static LucidError Refused(DreamSkill skill, string why) =>
        LucidError.Conflict($"The skill '{skill.Name}' could not be created, so the change stays pending: {why}");
}
