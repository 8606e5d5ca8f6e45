using System.Text.RegularExpressions;

namespace Lucid.Dreams;

/// <summary>
/// Finds credentials in text: API keys and tokens of common providers, bearer tokens, JWTs, private keys, and values
/// assigned to names like <c>password</c> or <c>api_key</c>. A dream never writes text in which it finds one.
/// </summary>
internal static partial class SecretScanner
{
    private static readonly (string Kind, Regex Pattern)[] Patterns =
    [
        ("private key", PrivateKey()),
        ("Anthropic API key", AnthropicKey()),
        ("OpenAI API key", OpenAIKey()),
        ("AWS access key", AwsKey()),
        ("GitHub token", GitHubToken()),
        ("Slack token", SlackToken()),
        ("Google API key", GoogleKey()),
        ("Stripe key", StripeKey()),
        ("JSON web token", Jwt()),
        ("bearer token", Bearer()),
        ("password or secret", Assignment()),
    ];

    /// <summary>The kinds of secret found in <paramref name="text"/>, each once, in a fixed order; empty when none.</summary>
    public static IReadOnlyList<string> Find(string? text) =>
        string.IsNullOrEmpty(text) ? [] : [.. Patterns.Where(p => p.Pattern.IsMatch(text)).Select(p => p.Kind)];

    /// <summary>The text with every secret found replaced by <c>[redacted …]</c>.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (kind, pattern) in Patterns)
        {
            text = pattern.Replace(text, $"[redacted {kind}]");
        }

        return text;
    }

    [GeneratedRegex(@"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----(?:.*?-----END (?:[A-Z]+ )*PRIVATE KEY-----)?", RegexOptions.Singleline)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"sk-ant-[A-Za-z0-9_\-]{16,}")]
    private static partial Regex AnthropicKey();

    [GeneratedRegex(@"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_\-]{20,}")]
    private static partial Regex OpenAIKey();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")]
    private static partial Regex AwsKey();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bxox[abposr]-[A-Za-z0-9\-]{10,}")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}")]
    private static partial Regex GoogleKey();

    [GeneratedRegex(@"\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}")]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b[Bb]earer\s+[A-Za-z0-9\-._~+/]{20,}=*")]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?i)\b(?:password|passwd|pwd|passphrase|secret|client_secret|api[_\-]?key|access[_\-]?token|auth[_\-]?token)\b[""']?\s*[:=]\s*[""']?(?!\[redacted)[^\s""',;]{6,}")]
    private static partial Regex Assignment();
}
