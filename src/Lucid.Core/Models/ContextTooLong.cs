using System.Globalization;
using System.Text.RegularExpressions;

namespace Lucid.Models;

/// <summary>
/// Recognizes a provider's "the request is longer than the model's context window" error by its wording, and reads the
/// window from it when stated. Providers answer it as an ordinary 400, told apart only by the message.
/// </summary>
public static partial class ContextTooLong
{
    /// <summary>Whether <paramref name="message"/> says the request was too long; <paramref name="window"/> gets the window when the message states it.</summary>
    public static bool Matches(string? message, out int? window)
    {
        window = null;
        if (string.IsNullOrEmpty(message) || !Wording().IsMatch(message))
        {
            return false;
        }

        var stated = StatedWindow().Match(message);
        if (stated.Success)
        {
            var digits = stated.Groups.Values.Skip(1).First(g => g.Success).Value;
            if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var tokens) && tokens > 0)
            {
                window = tokens;
            }
        }

        return true;
    }

    // Anthropic: "prompt is too long: 208310 tokens > 200000 maximum", "input length and `max_tokens` exceed context limit";
    // OpenAI: "maximum context length is 128000 tokens" (code context_length_exceeded), "Input tokens exceed the configured
    // limit"; Ollama and llama.cpp: "input length exceeds the context length", "exceeds the available context size".
    [GeneratedRegex(@"prompt is too long|exceeds? (the )?(available )?context (limit|length|size|window)|context_length_exceeded|maximum context length|input tokens exceed|prompt too long|too many tokens", RegexOptions.IgnoreCase)]
    private static partial Regex Wording();

    [GeneratedRegex(@"tokens? > (\d+) maximum|> (\d+), decrease|maximum context length is (\d+)|limit of (\d+) tokens|context length of (\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex StatedWindow();
}
