using Lucid.Results;
using Microsoft.Extensions.AI;

namespace Lucid.Models;

/// <summary>Turns a model string (<c>anthropic/claude-sonnet-4-5</c>, <c>openai/gpt-4.1</c>, <c>ollama/qwen3</c>, <c>claude-…</c>) into a chat client.</summary>
public interface IChatClientResolver
{
    /// <summary>
    /// Returns the chat client for <paramref name="model"/>, or an invalid-request error that says what to set
    /// (an unknown provider, a missing API key).
    /// </summary>
    Result<IChatClient> Resolve(string model);
}
