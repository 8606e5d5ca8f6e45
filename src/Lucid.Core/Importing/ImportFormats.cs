namespace Lucid.Importing;

/// <summary>The transcript formats Lucid imports.</summary>
public static class ImportFormats
{
    /// <summary>OpenAI chat-format message lists, as JSON or JSONL.</summary>
    public const string OpenAIChat = "openai-chat";

    /// <summary>τ-bench trajectories: OpenAI chat messages plus the task and its reward.</summary>
    public const string TauBench = "tau-bench";

    /// <summary>Every format, in the order the docs list them.</summary>
    public static IReadOnlyList<string> All { get; } = [OpenAIChat, TauBench];
}
