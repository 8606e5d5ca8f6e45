using System.Text.Json;

namespace Lucid.Dreams;

/// <summary>What a model stage asks for: its system instructions and the JSON schema its reply must match.</summary>
/// <param name="Stage">The stage that asks.</param>
/// <param name="Instructions">The system instructions.</param>
/// <param name="Schema">The reply's JSON schema.</param>
/// <param name="SchemaName">The schema's name.</param>
internal sealed record DreamPrompt(DreamStage Stage, string Instructions, JsonElement Schema, string SchemaName);
