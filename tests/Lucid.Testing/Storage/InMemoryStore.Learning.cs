using Lucid.Learning;

namespace Lucid.Testing.Storage;

public sealed partial class InMemoryStore
{
    private readonly Dictionary<string, LearningPolicy> _learningPolicies = new(StringComparer.Ordinal);

    public Task CreateLearningPolicyAsync(LearningPolicy policy, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _learningPolicies.Add(policy.Id, policy);
        }

        return Task.CompletedTask;
    }

    public Task<bool> UpdateLearningPolicyAsync(LearningPolicy policy, CancellationToken cancellationToken) =>
        Task.FromResult(Replace(_learningPolicies, policy.Id, policy));

    public Task<LearningPolicy?> GetLearningPolicyAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_learningPolicies.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<LearningPolicy>> ListLearningPoliciesAsync(string? workspaceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<LearningPolicy>>([.. _learningPolicies.Values.Where(p => workspaceId is null || p.WorkspaceId == workspaceId)
                .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<bool> DeleteLearningPolicyAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_learningPolicies.Remove(id));
        }
    }
}
