namespace Lucid.Ids;

/// <summary>The ID prefixes Lucid shares with the Managed Agents API.</summary>
public static class IdPrefixes
{
    /// <summary>Agents.</summary>
    public const string Agent = "agent";

    /// <summary>Environments.</summary>
    public const string Environment = "env";

    /// <summary>Sessions.</summary>
    public const string Session = "sesn";

    /// <summary>Outcomes.</summary>
    public const string Outcome = "outc";

    /// <summary>Session threads.</summary>
    public const string Thread = "sthr";

    /// <summary>Session events.</summary>
    public const string Event = "sevt";

    /// <summary>Memory stores.</summary>
    public const string MemoryStore = "memstore";

    /// <summary>Memories.</summary>
    public const string Memory = "mem";

    /// <summary>Memory versions.</summary>
    public const string MemoryVersion = "memver";

    /// <summary>Dreams.</summary>
    public const string Dream = "drm";

    /// <summary>Changes a dream proposes for review.</summary>
    public const string DreamChange = "dchg";

    /// <summary>Vaults.</summary>
    public const string Vault = "vlt";

    /// <summary>Vault credentials.</summary>
    public const string Credential = "vcrd";

    /// <summary>Deployments.</summary>
    public const string Deployment = "depl";

    /// <summary>Deployment runs.</summary>
    public const string DeploymentRun = "drun";

    /// <summary>Webhook endpoints.</summary>
    public const string WebhookEndpoint = "whep";

    /// <summary>Webhook events (the <c>webhook-id</c> of their deliveries).</summary>
    public const string WebhookEvent = "wevt";

    /// <summary>Learning policies (a Lucid extension).</summary>
    public const string LearningPolicy = "lrnp";

    /// <summary>Files of the Files API.</summary>
    public const string File = "file";

    /// <summary>Files and repositories mounted into a session.</summary>
    public const string SessionResource = "sesrsc";

    /// <summary>Eval runs (a Lucid extension).</summary>
    public const string EvalRun = "evalrun";

    /// <summary>Skills.</summary>
    public const string Skill = "skill";

    /// <summary>Versions of skills.</summary>
    public const string SkillVersion = "skver";

    /// <summary>Returns whether <paramref name="id"/> has the form <c>prefix_rest</c>.</summary>
    public static bool Has(string? id, string prefix) =>
        id is not null && id.Length > prefix.Length + 1 && id.StartsWith(prefix, StringComparison.Ordinal) && id[prefix.Length] == '_';
}
