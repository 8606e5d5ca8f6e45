namespace Lucid;

/// <summary>A resource that belongs to one workspace and has a life: created, updated, perhaps archived.</summary>
public interface IWorkspaceResource
{
    /// <summary>The resource's ID.</summary>
    string Id { get; }

    /// <summary>The workspace (tenant) it belongs to.</summary>
    string WorkspaceId { get; }

    /// <summary>When it was created.</summary>
    DateTimeOffset CreatedAt { get; }

    /// <summary>When it last changed.</summary>
    DateTimeOffset UpdatedAt { get; }

    /// <summary>When it was archived, if it was.</summary>
    DateTimeOffset? ArchivedAt { get; }
}
