using Lucid.Agents;
using Lucid.Events;
using Lucid.Mcp;
using Lucid.Memory;
using Lucid.Results;
using Lucid.Threads;
using Lucid.Tools;

namespace Lucid.Sessions;

/// <summary>
/// Builds what a turn works with: the pinned agent, its model client (with span recording), its tools, thread
/// control, memory mounts, the agent's skills and the sandbox's resource mounts. The session and agent are read once (the session not at all
/// when the runner's caller just created it); a session whose resources changed since is taken from the engine's parts.
/// </summary>
internal sealed class TurnContextFactory(SessionRunner runner, EngineParts parts, Session? session) : IAsyncDisposable
{
    private Session? _session = session;
    private Sandboxing.SandboxOptions? _sandbox;
    private Agent? _agent;
    private McpToolbox? _mcp;
    private Vaults.SessionCredentials? _credentials;

    public async Task<Result<TurnContext>> CreateAsync(CancellationToken cancellationToken)
    {
        var thread = await runner.ThreadAsync(cancellationToken);
        var session = _session ??= await parts.Store.GetSessionAsync(thread?.SessionId ?? runner.LogId, cancellationToken)
            ?? throw new InvalidOperationException($"Session {thread?.SessionId ?? runner.LogId} disappeared while it was running.");
        if (parts.ChangedResources.TryGetValue(session.Id, out var changed) && changed.UpdatedAt > session.UpdatedAt)
        {
            // Files were mounted or unmounted since this runner read the session.
            session = _session = changed;
        }

        var agent = thread?.Agent ?? (_agent ??= await parts.Agents.GetAsync(session.AgentId, session.AgentVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Agent {session.AgentId} v{session.AgentVersion} of session {session.Id} is missing."));
        var client = parts.Models.Resolve(agent.Model);
        if (!client.IsSuccess)
        {
            return client.Error;
        }

        var threads = await ThreadControl.CreateAsync(parts, session.Id, thread, agent, runner.AppendAsync, cancellationToken);

        // Threads of a session mount its memory stores too, writing as the session.
        var memory = session.Resources.Count == 0 ? null : new MemoryMounts(parts.Memory, session.WorkspaceId, MemoryActor.Session(session.Id), session.Resources, SessionTasks.TaskIdOf(session.Metadata));
        var model = parts.Options.Catalog.Get(agent.Model);
        var credentials = Credentials(session);
        var mcp = agent.McpServers.Count == 0 ? null : await McpToolsAsync(session, agent, threads, cancellationToken);
        var area = Resources.SessionArea.Of(parts.Options.WorkDirectoriesRoot, session.Id);

        // Skills are read in the sandbox, which only an agent with tools has.
        var skills = agent.Skills.Count == 0 || agent.Tools.Count == 0 ? null : await Skills.SkillMounts.PrepareAsync(parts.Skills, session.WorkspaceId, agent.Skills, area, cancellationToken);
        var context = new TurnContext(
            agent,
            new SpanRecordingChatClient(new StreamingFallbackChatClient(client.Value), runner, agent.Model, model),
            new WorkDirectory(session.WorkDirectory),
            parts.Options,
            agent.Tools.Count == 0 ? parts.Options.Sandbox : (await SandboxOfAsync(session, cancellationToken)) with { Mounts = [.. area.Mounts(session), .. skills?.Mounts ?? []] },
            parts.Logs.CreateLogger("Lucid.Sandboxing.EgressProxy"),
            parts.Time,
            threads,
            memory,
            mcp,
            Advisor(session, thread, agent))
        {
            SessionId = session.Id,
            Budgeted = session.Budget is not null,
            ModelInfo = model,
            Reviewer = Reviewer(agent),
            Secrets = credentials is null ? null : new Secrets.SecretScanner(await credentials.KnownSecretsAsync(cancellationToken)),
            SkillsPrompt = skills?.Prompt,
        };
        if (agent.Tools.OfType<AgentToolset>().SelectMany(t => t.Configs).FirstOrDefault(c => c.Name == "web_fetch")?.WebFetch is { } webFetch)
        {
            context.ToolContext.WebFetch = new WebFetchRules(webFetch, await runner.ReadAsync(c => c.Urls, cancellationToken));
        }

        if (memory is not null)
        {
            // Read once per turn: the listing shows what the store holds when the turn starts.
            context.MemoryPrompt = await memory.DescribeAsync(cancellationToken);
        }

        return context;
    }

    // Only the session's primary thread consults the agent's advisor.
    private Advisor? Advisor(Session session, SessionThread? thread, Agent agent) =>
        thread is null && agent.Multiagent?.Advisor is { } model
            ? new Advisor(parts, runner, session.Id, model, agent.System, budgeted: session.Budget is not null)
            : null;

    // The reviewer of calls under the auto policy asks the server's reviewer model, or the agent's own model.
    private Permissions.PermissionReviewer Reviewer(Agent agent)
    {
        var model = parts.Options.PermissionReviewerModel ?? agent.Model;
        return new Permissions.PermissionReviewer(
            parts.Models, model, parts.Options.Catalog.Get(model), runner, parts.Options.PermissionReviewTimeout, parts.Time, parts.Logs.CreateLogger("Lucid.Permissions"));
    }

    // The session's MCP connections live as long as this runner; each turn lists their tools (again only when a server
    // said its list changed). The names of the agent's other tools are taken first, so no MCP tool can shadow one.
    private async Task<McpTurnTools> McpToolsAsync(Session session, Agent agent, ThreadControl? threads, CancellationToken cancellationToken)
    {
        _mcp ??= new McpToolbox(agent, new McpSessionServices(
            parts.McpConnector,
            parts.Options.Mcp,
            parts.Time,
            parts.Logs.CreateLogger("Lucid.Mcp"),
            ct => SandboxOfAsync(session, ct),
            () => new WorkDirectory(session.WorkDirectory).Root,
            (url, ct) => Credentials(session) is { } credentials
                ? credentials.HeadersAsync(url, ct)
                : Task.FromResult<Result<IReadOnlyDictionary<string, string>>>(new Dictionary<string, string>())));
        var taken = new HashSet<string>(BuiltInTools.Names, StringComparer.Ordinal);
        taken.UnionWith(agent.Tools.OfType<CustomToolDefinition>().Select(t => t.Name));
        taken.UnionWith(threads?.Tools.Select(t => t.Name) ?? []);
        var (tools, failures) = await _mcp.ListAsync(taken, cancellationToken);
        return new McpTurnTools(_mcp, tools, failures);
    }

    // The credentials of the session's vaults, or null when it names none.
    private Vaults.SessionCredentials? Credentials(Session session) =>
        session.VaultIds.Count == 0 ? null : _credentials ??= new Vaults.SessionCredentials(session.VaultIds, session.WorkspaceId, parts.Vaults);

    public async ValueTask DisposeAsync()
    {
        if (_mcp is not null)
        {
            await _mcp.DisposeAsync();
        }
    }

    // The environment's networking decides the sandbox's network, read once per runner: unrestricted opens the host's
    // network; limited gives none of its own, and the listed hosts (and registries, when allowed) through the egress proxy.
    // A session with environment-variable credentials always reaches out through the proxy, which substitutes their
    // secrets: with unrestricted networking, a proxy that lets every host through. A credential's hosts that the
    // networking does not permit are dropped, each such credential recorded once per sandbox built as a session.error.
    // Its pip and npm packages are installed on the first turn that needs them; a failed installation is tried again
    // on the next turn, and meanwhile commands are refused with its error.
    private async Task<Sandboxing.SandboxOptions> SandboxOfAsync(Session session, CancellationToken cancellationToken)
    {
        if (_sandbox is not null)
        {
            return _sandbox;
        }

        var environment = await parts.Store.GetEnvironmentAsync(session.EnvironmentId, cancellationToken);
        var networking = environment?.Config.Networking ?? Environments.NetworkPolicy.Nothing;
        var egress = new Sandboxing.EgressRules(networking);
        var credentials = Credentials(session) is { } vaults ? await vaults.SandboxSecretsAsync(egress, cancellationToken) : Vaults.SandboxCredentials.None;
        if (credentials.Unreachable.Count > 0)
        {
            await runner.AppendAsync(
                [.. credentials.Unreachable.Select(u => (SessionEvent)new SessionErrorEvent { Error = SessionErrors.CredentialHostUnreachable(u) })],
                CancellationToken.None);
        }

        var secrets = credentials.Secrets;
        var proxied = !networking.Unrestricted || secrets.Count > 0;
        var sandbox = parts.Options.Sandbox with
        {
            Network = proxied ? Sandboxing.NetworkAccess.None : Sandboxing.NetworkAccess.Unrestricted,
            Egress = !proxied || networking.AllowsNothing ? null : egress,
        };
        if (environment is null)
        {
            return _sandbox = sandbox with { Secrets = secrets };
        }

        // Installation scripts never see the vaults' variables: they are added after.
        var packages = await parts.Packages.PrefixAsync(environment.Id, environment.Config.Packages, sandbox, cancellationToken);
        return packages.IsSuccess
            ? _sandbox = sandbox with { PackagesDirectory = packages.Value, Secrets = secrets }
            : sandbox with { PackagesFailure = packages.Error.Message };
    }
}
