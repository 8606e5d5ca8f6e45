using System.Text.Json;
using System.Text.Json.Serialization;
using Lucid.Agents;
using Lucid.Environments;
using Lucid.Events;
using Lucid.Sessions;

namespace Lucid.Json;

/// <summary>
/// Source-generated JSON for the domain types: snake_case names, nulls omitted. This is how stores persist
/// events and configuration; the server maps domain types to its own wire types.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(SessionEvent))]
[JsonSerializable(typeof(Outcomes.OutcomeFinding))]
[JsonSerializable(typeof(List<Outcomes.OutcomeFinding>))]
[JsonSerializable(typeof(Agent))]
[JsonSerializable(typeof(AgentTool))]
[JsonSerializable(typeof(IReadOnlyList<AgentTool>))]
[JsonSerializable(typeof(IReadOnlyList<McpServer>))]
[JsonSerializable(typeof(AgentEnvironment))]
[JsonSerializable(typeof(Session))]
[JsonSerializable(typeof(SessionUsage))]
[JsonSerializable(typeof(UsageSnapshot))]
[JsonSerializable(typeof(SessionBudget))]
[JsonSerializable(typeof(Threads.SessionThread))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<JsonElement>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Memory.MemoryStore))]
[JsonSerializable(typeof(Memory.MemoryVersion))]
[JsonSerializable(typeof(Dreams.MiningReport))]
[JsonSerializable(typeof(Dreams.SessionDigest))]
[JsonSerializable(typeof(Dreams.Dream))]
[JsonSerializable(typeof(Importing.ImportReport))]
[JsonSerializable(typeof(Deployments.Deployment))]
[JsonSerializable(typeof(Deployments.DeploymentRun))]
[JsonSerializable(typeof(Webhooks.WebhookEndpoint))]
[JsonSerializable(typeof(Webhooks.WebhookEvent))]
[JsonSerializable(typeof(Learning.LearningPolicy))]
[JsonSerializable(typeof(Vaults.Vault))]
[JsonSerializable(typeof(Files.StoredFile))]
[JsonSerializable(typeof(Evals.EvalRun))]
[JsonSerializable(typeof(Evals.EvalReport))]
[JsonSerializable(typeof(Skills.Skill))]
[JsonSerializable(typeof(Skills.SkillVersion))]
[JsonSerializable(typeof(Vaults.VaultCredential))]
[JsonSerializable(typeof(Vaults.CredentialSecrets))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
public sealed partial class LucidJsonContext : JsonSerializerContext;
