using Lucid.Skills;
using Lucid.Storage;

namespace Lucid.Testing.Storage;

public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, Skill> _skills = new(StringComparer.Ordinal);

    // Every skill's versions in the order they were added: the last is the latest.
    private readonly Dictionary<string, List<SkillVersion>> _skillVersions = new(StringComparer.Ordinal);

    public Task CreateSkillAsync(Skill skill, SkillVersion first, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Like the real stores' unique key.
            if (!_skills.TryAdd(skill.Id, skill with { LatestVersionId = null }))
            {
                throw new InvalidOperationException($"Skill '{skill.Id}' already exists.");
            }

            _skillVersions[skill.Id] = [first];
        }

        return Task.CompletedTask;
    }

    public Task<bool> AddSkillVersionAsync(SkillVersion version, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_skills.TryGetValue(version.SkillId, out var skill))
            {
                return Task.FromResult(false);
            }

            _skills[skill.Id] = skill with { UpdatedAt = version.CreatedAt };
            _skillVersions[skill.Id].Add(version);
            return Task.FromResult(true);
        }
    }

    public Task<Skill?> GetSkillAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_skills.TryGetValue(id, out var skill) ? WithLatest(skill) : null);
        }
    }

    public Task<Page<Skill>> ListSkillsAsync(string workspaceId, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(
                _skills.Values.Where(s => s.WorkspaceId == workspaceId)
                    .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id, StringComparer.Ordinal).Select(WithLatest).ToList(),
                page));
        }
    }

    public Task<SkillVersion?> GetSkillVersionAsync(string skillId, string versionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_skillVersions.GetValueOrDefault(skillId)?.Find(v => v.Id == versionId));
        }
    }

    public Task<Page<SkillVersion>> ListSkillVersionsAsync(string skillId, PageRequest page, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Paginate(Enumerable.Reverse(_skillVersions.GetValueOrDefault(skillId) ?? []).ToList(), page));
        }
    }

    public Task<IReadOnlyList<SkillVersion>?> DeleteSkillAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_skills.Remove(id) || !_skillVersions.Remove(id, out var versions))
            {
                return Task.FromResult<IReadOnlyList<SkillVersion>?>(null);
            }

            return Task.FromResult<IReadOnlyList<SkillVersion>?>(versions);
        }
    }

    public Task<SkillVersionDeletion> DeleteSkillVersionAsync(string skillId, string versionId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var versions = _skillVersions.GetValueOrDefault(skillId) ?? [];
            var index = versions.FindIndex(v => v.Id == versionId);
            if (index < 0)
            {
                return Task.FromResult(SkillVersionDeletion.NotFound);
            }

            if (versions.Count == 1)
            {
                return Task.FromResult(SkillVersionDeletion.OnlyVersion);
            }

            versions.RemoveAt(index);
            _skills[skillId] = _skills[skillId] with { UpdatedAt = at };
            return Task.FromResult(SkillVersionDeletion.Deleted);
        }
    }

    private Skill WithLatest(Skill skill) => skill with { LatestVersionId = _skillVersions[skill.Id][^1].Id };
}
