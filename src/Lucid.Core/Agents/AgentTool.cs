using System.Text.Json.Serialization;

namespace Lucid.Agents;

/// <summary>A tool entry on an agent: the built-in toolset, an MCP server's tools, or a custom tool the client executes.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(AgentToolset), AgentToolset.TypeName)]
[JsonDerivedType(typeof(CustomToolDefinition), CustomToolDefinition.TypeName)]
[JsonDerivedType(typeof(McpToolset), McpToolset.TypeName)]
public abstract record AgentTool;
