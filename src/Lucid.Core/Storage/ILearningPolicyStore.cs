using Lucid.Learning;

namespace Lucid.Storage;

/// <summary>Persists learning policies (a Lucid extension).</summary>
public interface ILearningPolicyStore
{
    /// <summary>Stores a new policy.</summary>
    Task CreateLearningPolicyAsync(LearningPolicy policy, CancellationToken cancellationToken);

    /// <summary>Replaces a stored policy. Returns false when absent.</summary>
    Task<bool> UpdateLearningPolicyAsync(LearningPolicy policy, CancellationToken cancellationToken);

    /// <summary>Returns a policy, or null.</summary>
    Task<LearningPolicy?> GetLearningPolicyAsync(string id, CancellationToken cancellationToken);

    /// <summary>A workspace's policies, or every workspace's when <paramref name="workspaceId"/> is null; oldest first.</summary>
    Task<IReadOnlyList<LearningPolicy>> ListLearningPoliciesAsync(string? workspaceId, CancellationToken cancellationToken);

    /// <summary>Deletes a policy. Returns false when absent.</summary>
    Task<bool> DeleteLearningPolicyAsync(string id, CancellationToken cancellationToken);
}
