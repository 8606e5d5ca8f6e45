using System.Text.Json;
using Lucid.Ids;
using Lucid.Results;
using Lucid.Storage;
using Lucid.Tools;
using Lucid.Validation;

namespace Lucid.Agents;

/// <summary>Creates, versions and archives agents, validating every definition at the edge.</summary>
public sealed class AgentService
{
    private readonly IAgentStore _store;
    private readonly ISkillStore _skills;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the service.</summary>
    public AgentService(IAgentStore store, ISkillStore skills, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _skills = skills;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>Creates version 1 of a new agent.</summary>
    public async Task<Result<Agent>> CreateAsync(string workspaceId, AgentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (Validate(definition) is { } error)
        {
            return error;
        }

        var id = _ids.NewId(IdPrefixes.Agent);
        var roster = await MultiagentRules.ResolveAsync(_store, workspaceId, id, definition, cancellationToken);
        if (!roster.IsSuccess)
        {
            return roster.Error;
        }

        var skills = await AgentSkills.ResolveAsync(_skills, workspaceId, definition.Skills, cancellationToken);
        if (!skills.IsSuccess)
        {
            return skills.Error;
        }

        var now = _time.GetUtcNow();
        var agent = Apply(new Agent { Id = id, WorkspaceId = workspaceId, Version = 1, Name = definition.Name, Model = definition.Model, CreatedAt = now, UpdatedAt = now }, definition with { Multiagent = roster.Value }, skills.Value);
        await _store.CreateAgentAsync(agent, cancellationToken);
        return agent;
    }

    /// <summary>
    /// Stores <paramref name="definition"/> as the agent's next version. With <paramref name="expectedVersion"/>, the update
    /// applies only if that is still the latest version (409 otherwise). An update that changes nothing creates no version.
    /// </summary>
    public async Task<Result<Agent>> UpdateAsync(string workspaceId, string id, int? expectedVersion, AgentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (Validate(definition) is { } error)
        {
            return error;
        }

        var current = await _store.GetAgentAsync(id, null, cancellationToken);
        if (current is null || current.WorkspaceId != workspaceId)
        {
            return LucidError.NotFound("Agent", id);
        }

        if (current.ArchivedAt is not null)
        {
            return LucidError.Conflict($"Agent '{id}' is archived and can no longer be changed.");
        }

        if (expectedVersion is { } expected && expected != current.Version)
        {
            return LucidError.Conflict($"Agent '{id}' is at version {current.Version}, not {expected}; fetch it again and retry.");
        }

        var roster = await MultiagentRules.ResolveAsync(_store, workspaceId, id, definition, cancellationToken);
        if (!roster.IsSuccess)
        {
            return roster.Error;
        }

        var skills = await AgentSkills.ResolveAsync(_skills, workspaceId, definition.Skills, cancellationToken);
        if (!skills.IsSuccess)
        {
            return skills.Error;
        }

        var next = Apply(current with { Version = current.Version + 1, UpdatedAt = _time.GetUtcNow() }, definition with { Multiagent = roster.Value }, skills.Value);
        if (SameDefinition(current, next))
        {
            return current;
        }

        return await _store.AddAgentVersionAsync(next, cancellationToken)
            ? next
            : LucidError.Conflict($"Agent '{id}' was changed concurrently; fetch it again and retry.");
    }

    /// <summary>Archives an agent: it stays readable, and new sessions can no longer use it.</summary>
    public async Task<Result<Agent>> ArchiveAsync(string workspaceId, string id, CancellationToken cancellationToken)
    {
        var current = await _store.GetAgentAsync(id, null, cancellationToken);
        if (current is null || current.WorkspaceId != workspaceId)
        {
            return LucidError.NotFound("Agent", id);
        }

        if (current.ArchivedAt is not null)
        {
            return current;
        }

        var archivedAt = _time.GetUtcNow();
        await _store.ArchiveAgentAsync(id, archivedAt, cancellationToken);
        return current with { ArchivedAt = archivedAt };
    }

    /// <summary>An agent of the workspace, at <paramref name="version"/> or its latest.</summary>
    public async Task<Result<Agent>> GetAsync(string workspaceId, string id, int? version, CancellationToken cancellationToken)
    {
        var agent = IdPrefixes.Has(id, IdPrefixes.Agent) ? await _store.GetAgentAsync(id, version, cancellationToken) : null;
        return agent is null || agent.WorkspaceId != workspaceId
            ? LucidError.NotFound("Agent", version is { } v ? $"{id}@{v}" : id)
            : agent;
    }

    /// <summary>The workspace's agents at their latest versions, newest first.</summary>
    public Task<Page<Agent>> ListAsync(string workspaceId, AgentQuery query, PageRequest page, CancellationToken cancellationToken) =>
        _store.ListAgentsAsync(workspaceId, query, page, cancellationToken);

    /// <summary>Every version of an agent of the workspace, newest first.</summary>
    public async Task<Result<Page<Agent>>> ListVersionsAsync(string workspaceId, string id, PageRequest page, CancellationToken cancellationToken)
    {
        var current = await GetAsync(workspaceId, id, null, cancellationToken);
        return current.IsSuccess ? await _store.ListAgentVersionsAsync(id, page, cancellationToken) : current.Error;
    }

    private static Agent Apply(Agent agent, AgentDefinition d, IReadOnlyList<AgentSkill> skills) => agent with
    {
        Skills = skills,
        Name = d.Name,
        Description = d.Description,
        System = d.System,
        Model = d.Model,
        Effort = d.Effort,
        Tools = d.Tools,
        McpServers = d.McpServers,
        Multiagent = d.Multiagent,
        Metadata = d.Metadata,
    };

    private static bool SameDefinition(Agent a, Agent b) =>
        a.Name == b.Name && a.Description == b.Description && a.System == b.System && a.Model == b.Model && a.Effort == b.Effort
        && a.Metadata.Count == b.Metadata.Count && a.Metadata.All(p => b.Metadata.TryGetValue(p.Key, out var v) && v == p.Value)
        && ToolsJson(a) == ToolsJson(b) && McpServersJson(a) == McpServersJson(b) && SameMultiagent(a.Multiagent, b.Multiagent)
        && a.Skills.SequenceEqual(b.Skills);

    private static bool SameMultiagent(MultiagentConfig? a, MultiagentConfig? b) =>
        a is null || b is null ? a is null && b is null
        : a.Subagents == b.Subagents && a.InlineAgents == b.InlineAgents && a.PredefinedAgents.SequenceEqual(b.PredefinedAgents)
            && a.Advisor == b.Advisor && a.Coordinator == b.Coordinator && a.AdvisorPosition == b.AdvisorPosition;

    private static string ToolsJson(Agent agent) => JsonSerializer.Serialize(agent.Tools, Json.LucidJsonContext.Default.IReadOnlyListAgentTool);

    private static string McpServersJson(Agent agent) => JsonSerializer.Serialize(agent.McpServers, Json.LucidJsonContext.Default.IReadOnlyListMcpServer);

    private static LucidError? Validate(AgentDefinition d)
    {
        if (Rules.Name(d.Name) is { } nameError)
        {
            return nameError;
        }

        if (string.IsNullOrWhiteSpace(d.Model))
        {
            return LucidError.Invalid("model", "model is required, e.g. 'anthropic/claude-sonnet-4-5', 'openai/gpt-4.1' or 'ollama/qwen3'.");
        }

        if (d.Tools.Count > Rules.MaxTools)
        {
            return LucidError.Invalid("tools", $"An agent may have at most {Rules.MaxTools} tools; got {d.Tools.Count}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Tools.Count; i++)
        {
            switch (d.Tools[i])
            {
                case AgentToolset toolset:
                    if (!names.Add(AgentToolset.TypeName))
                    {
                        return LucidError.Invalid($"tools[{i}]", "The built-in toolset may appear only once.");
                    }

                    foreach (var config in toolset.Configs)
                    {
                        if (BuiltInTools.All.All(t => t.Name != config.Name))
                        {
                            return LucidError.Invalid($"tools[{i}].configs", $"'{config.Name}' is not a built-in tool; known: {string.Join(", ", BuiltInTools.All.Select(t => t.Name))}.");
                        }
                    }

                    break;
                case CustomToolDefinition custom:
                    if (Rules.ToolName(custom.Name, $"tools[{i}].name") is { } toolNameError)
                    {
                        return toolNameError;
                    }

                    if (!names.Add(custom.Name) || BuiltInTools.All.Any(t => t.Name == custom.Name))
                    {
                        return LucidError.Invalid($"tools[{i}].name", $"The tool name '{custom.Name}' is used more than once.");
                    }

                    if (custom.InputSchema.ValueKind != JsonValueKind.Object)
                    {
                        return LucidError.Invalid($"tools[{i}].input_schema", "input_schema must be a JSON schema object.");
                    }

                    break;
            }
        }

        return McpServerRules.Check(d) ?? Rules.Metadata(d.Metadata);
    }
}
