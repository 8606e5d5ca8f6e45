using Lucid.Events;

namespace Lucid.Importing;

/// <summary>A record converted to what an imported session holds: its agent's system prompt, title, metadata and events.</summary>
internal sealed record Transcript
{
    public string? SystemPrompt { get; init; }

    public string? Title { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public required IReadOnlyList<SessionEvent> Events { get; init; }
}

/// <summary>A record that cannot be converted: what is wrong with it.</summary>
internal sealed class MalformedTranscriptException(string message) : Exception(message);
