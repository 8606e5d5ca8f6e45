namespace Lucid.Storage;

/// <summary>Every port a storage backend implements. The shared contract-test suite runs against this.</summary>
public interface ILucidStore : IAgentStore, IEnvironmentStore, ISessionStore, IThreadStore, IEventLog, IApiKeyStore, IMemoryStorage, IDreamStore, IVaultStore, IDeploymentStore, IWebhookStore, IFileStore, ISkillStore, ILearningPolicyStore, IEvalStore, IAsyncDisposable;
