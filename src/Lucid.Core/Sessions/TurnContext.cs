using Lucid.Agents;
using Lucid.Events;
using Lucid.Mcp;
using Lucid.Memory;
using Lucid.Threads;
using Lucid.Tools;
using Microsoft.Extensions.AI;

namespace Lucid.Sessions;

/// <summary>What one turn works with: the pinned agent, its model client, and the tools it may call.</summary>
internal sealed class TurnContext
{
    public TurnContext(
        Agent agent, IChatClient client, WorkDirectory directory, SessionEngineOptions options, Sandboxing.SandboxOptions sandbox,
        Microsoft.Extensions.Logging.ILogger sandboxLog, TimeProvider time, ThreadControl? threads, MemoryMounts? memory, McpTurnTools? mcp = null,
        Advisor? advisor = null)
    {
        Agent = agent;
        Client = client;
        ToolContext = new ToolContext
        {
            Directory = directory, Limits = options.ToolLimits, Sandbox = sandbox, SandboxLog = sandboxLog, TimeProvider = time, Threads = threads, Memory = memory,
            Advisor = advisor,
        };

        var declarations = new List<AITool>();
        foreach (var entry in agent.Tools)
        {
            switch (entry)
            {
                case AgentToolset toolset:
                    foreach (var tool in BuiltInTools.All)
                    {
                        var (enabled, policy) = toolset.Resolve(tool.Name);
                        if (enabled)
                        {
                            Tools[tool.Name] = (tool, policy);
                            declarations.Add(AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, tool.InputSchema));
                        }
                    }

                    break;
                case CustomToolDefinition custom:
                    CustomTools.Add(custom.Name);
                    declarations.Add(AIFunctionFactory.CreateDeclaration(custom.Name, custom.Description, custom.InputSchema));
                    break;
            }
        }

        if (threads is not null)
        {
            foreach (var tool in threads.Tools)
            {
                Tools[tool.Name] = (tool, PermissionPolicy.AlwaysAllow);
                declarations.Add(AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, tool.InputSchema));
            }
        }

        if (advisor is not null)
        {
            var tool = new AdvisorTool();
            Tools[tool.Name] = (tool, PermissionPolicy.AlwaysAllow);
            declarations.Add(AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, tool.InputSchema));
        }

        if (mcp is not null)
        {
            Mcp = mcp.Toolbox;
            McpFailures = mcp.Failures;
            foreach (var tool in mcp.Tools)
            {
                McpTools[tool.ModelName] = tool;
                declarations.Add(AIFunctionFactory.CreateDeclaration(tool.ModelName, tool.Info.Description ?? "", tool.Info.InputSchema));
            }
        }

        ChatOptions = new ChatOptions
        {
            Tools = declarations.Count > 0 ? declarations : null,
            MaxOutputTokens = options.MaxOutputTokens,
        };
        Models.EffortOptions.Apply(ChatOptions, agent.Effort);
    }

    public Agent Agent { get; }

    /// <summary>The session the turn belongs to (a thread's session, for a thread's turn).</summary>
    public required string SessionId { get; init; }

    /// <summary>Whether the session had a budget when the runner started; one cannot be added later.</summary>
    public bool Budgeted { get; init; }

    /// <summary>The catalog's limits and list prices for the agent's model.</summary>
    public required Models.ModelInfo ModelInfo { get; init; }

    /// <summary>Judges the calls of tools under the <c>auto</c> permission policy.</summary>
    public required Permissions.PermissionReviewer Reviewer { get; init; }

    /// <summary>The secrets of the session's vaults, redacted from tool results before they are logged; null without vaults.</summary>
    public Secrets.SecretScanner? Secrets { get; init; }

    /// <summary>The text with the session's vault secrets redacted.</summary>
    public string Redact(string text) => Secrets?.RedactKnown(text) ?? text;

    /// <summary>The memory section of the system prompt for this turn, or null when no store is mounted.</summary>
    public string? MemoryPrompt { get; set; }

    /// <summary>The skills section of the system prompt for this turn, or null when the agent loads no skill.</summary>
    public string? SkillsPrompt { get; set; }

    public IChatClient Client { get; }

    public ToolContext ToolContext { get; }

    public ChatOptions ChatOptions { get; }

    public Dictionary<string, (BuiltInTool Tool, PermissionPolicy Policy)> Tools { get; } = new(StringComparer.Ordinal);

    public HashSet<string> CustomTools { get; } = new(StringComparer.Ordinal);

    /// <summary>The MCP tools this turn offers, by the name the model calls them.</summary>
    public Dictionary<string, McpTool> McpTools { get; } = new(StringComparer.Ordinal);

    /// <summary>The MCP servers whose tools this turn could not list, with why.</summary>
    public IReadOnlyList<(string Server, string Error, bool Authentication)> McpFailures { get; } = [];

    /// <summary>The session's MCP connections, when its agent has MCP servers.</summary>
    public McpToolbox? Mcp { get; }

    public IEnumerable<string> ToolNames => Tools.Keys.Concat(CustomTools).Concat(McpTools.Keys);

    /// <summary>The system prompt: the agent's, then the skills and memory sections; null when there is none.</summary>
    public string? SystemPrompt => string.Join("\n\n", new[] { Agent.System, SkillsPrompt, MemoryPrompt }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } system ? system : null;

    /// <summary>What the model is sent: the system prompt and the conversation.</summary>
    public List<ChatMessage> Messages(Conversation conversation)
    {
        var messages = new List<ChatMessage>(conversation.Messages.Count + 1);
        if (SystemPrompt is { } system)
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        messages.AddRange(conversation.Messages);
        return messages;
    }
}
