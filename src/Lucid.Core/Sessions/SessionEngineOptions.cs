using Lucid.Models;
using Lucid.Sandboxing;
using Lucid.Tools;

namespace Lucid.Sessions;

/// <summary>Settings of the session engine.</summary>
public sealed record SessionEngineOptions
{
    /// <summary>
    /// The directory under which each session gets its own work directory (named after the session ID) when it
    /// is created without one. Defaults to <c>lucid-work</c> under the system's temp directory; the CLI and server use
    /// <c>$LUCID_HOME/workspaces</c> (the folder keeps its first name, so existing installations keep their sessions' directories).
    /// </summary>
    public string WorkDirectoriesRoot { get; init; } = Path.Combine(Path.GetTempPath(), "lucid-work");

    /// <summary>
    /// How long a session's runner stays in memory with nothing to do before it retires (it retires within half as long
    /// again); the next input starts a new one. Defaults to 5 minutes.
    /// </summary>
    public TimeSpan RunnerIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Limits of the built-in tools.</summary>
    public ToolLimits ToolLimits { get; init; } = new();

    /// <summary>
    /// How the processes sessions start (<c>bash</c>, outcome command checks) are confined: in a bubblewrap sandbox per
    /// command by default, with no network and resource limits. Hosts probe at startup that a sandbox can be made.
    /// </summary>
    public SandboxOptions Sandbox { get; init; } = new();

    /// <summary>
    /// The key that seals vaults' secrets. Defaults to a key that lives only as long as the process (secrets stored
    /// with it cannot be opened after a restart); the CLI and server use <c>$LUCID_HOME/vault.key</c>.
    /// </summary>
    public Vaults.SecretBox VaultKey { get; init; } = Vaults.SecretBox.Ephemeral();

    /// <summary>Timeouts and reconnection backoff of sessions' MCP connections.</summary>
    public Mcp.McpOptions Mcp { get; init; } = new();

    /// <summary>When and how sessions' contexts are compacted before they outgrow their model's window.</summary>
    public CompactionOptions Compaction { get; init; } = new();

    /// <summary>Where the Files API keeps files' bytes (on disk by default), and the largest file it takes.</summary>
    public Files.FileStoreOptions Files { get; init; } = new();

    /// <summary>Where environments' pip and npm packages are installed, and from which registries.</summary>
    public PackageOptions Packages { get; init; } = new();

    /// <summary>
    /// The most tool-use rounds one turn may make, so a model that keeps calling tools cannot run forever: a model
    /// response that calls tools, plus running those tools, is one round. After this many rounds the turn stops before
    /// asking the model again, with a <c>session.error</c> of type <c>tool_use_limit_reached_error</c>, and the session
    /// goes idle with <c>retries_exhausted</c> (a child thread then terminates); the next message starts a new turn. An
    /// outcome's revisions continue their turn, so their rounds count toward the same limit. At least 1; defaults to 200.
    /// </summary>
    public int MaxToolUseRoundsPerTurn { get; init; } = 200;

    /// <summary>
    /// The most model responses in a row that each request a single tool call and are cut off by the model's output
    /// limit (finish reason <c>length</c>) before the call is complete. Such a call is not run: it is answered with an
    /// error telling the model to make it again, smaller. Reaching the limit stops the turn as
    /// <see cref="MaxToolUseRoundsPerTurn"/> does. At least 1; defaults to 3.
    /// </summary>
    public int MaxCutOffToolCallsInARow { get; init; } = 3;

    /// <summary>How often a <c>span.outcome_evaluation_ongoing</c> heartbeat is recorded while a grader works. Defaults to 10 s.</summary>
    public TimeSpan OutcomeHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The model that reviews tool calls under the <c>auto</c> permission policy, or null (the default) for the agent's
    /// own model. Its requests count into the session's usage.
    /// </summary>
    public string? PermissionReviewerModel { get; init; }

    /// <summary>How long a review of one tool call under <c>auto</c> may take; a review that takes longer denies the call. Defaults to 60 s.</summary>
    public TimeSpan PermissionReviewTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The most live threads (neither terminated nor archived) a session may have at once, counting every level of
    /// nesting; starting one more is refused with a tool error the agent can read. Defaults to 16.
    /// </summary>
    public int MaxLiveThreads { get; init; } = 16;

    /// <summary>
    /// How deep threads may nest: 1 lets the session's agent spawn threads whose agents cannot spawn their own, 2 lets
    /// those spawn one level more. Defaults to 2.
    /// </summary>
    public int MaxThreadDepth { get; init; } = 2;

    /// <summary>
    /// The most published events a live subscriber (an SSE stream) may leave unread before it is cut off: its stream
    /// ends, and the client resumes after the last event it saw (<c>Last-Event-ID</c>). Appending never waits for a
    /// subscriber. Defaults to 1,000.
    /// </summary>
    public int MaxUnreadEventsPerStream { get; init; } = Events.EventHub.DefaultSubscriberCapacity;

    /// <summary>The largest output a model request may produce, or null for the provider's default.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>
    /// Each model's context window, output limit and list prices. Defaults to the built-in table; the CLI adds the
    /// config file's <c>models</c> overrides and asks Ollama for its models' windows.
    /// </summary>
    public ModelCatalog Catalog { get; init; } = ModelCatalog.BuiltIn;

    /// <summary>What the engine's OpenTelemetry spans may carry; message content is left out by default.</summary>
    public Telemetry.TelemetryOptions Telemetry { get; init; } = new();
}
