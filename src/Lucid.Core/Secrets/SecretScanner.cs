using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lucid.Secrets;

/// <summary>
/// Finds credentials in text: the secrets this server holds (<see cref="KnownSecret"/>, by value), Lucid's own API keys,
/// API keys and tokens of common providers, bearer tokens, JWTs, private keys, and values assigned to names like
/// <c>password</c> or <c>api_key</c>. A dream never writes text in which it finds one.
/// </summary>
internal sealed partial class SecretScanner
{
    /// <summary>
    /// Known values shorter than this are not looked for: they are placeholders such as <c>none</c> or <c>ollama</c> that
    /// local OpenAI-compatible servers accept, and redacting them would mangle ordinary text.
    /// </summary>
    public const int MinKnownLength = 8;

    private static readonly (string Kind, Regex Pattern)[] Patterns =
    [
        ("private key", PrivateKey()),
        ("Lucid API key", LucidKey()),
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

    private readonly KnownSecret[] _known;

    /// <summary>Creates a scanner that also looks for <paramref name="known"/> values (those of at least <see cref="MinKnownLength"/> characters).</summary>
    public SecretScanner(IEnumerable<KnownSecret> known)
    {
        ArgumentNullException.ThrowIfNull(known);

        // Each value also as JSON writes it (the default encoder escapes '+', '&', '<' and more), since tool inputs are
        // scanned as JSON text; longest first, so that a value containing another is redacted whole.
        _known = [.. known
            .Select(k => k with { Value = k.Value.Trim() })
            .Where(k => k.Value.Length >= MinKnownLength)
            .SelectMany(k => new[] { k, k with { Value = JsonEncodedText.Encode(k.Value, JavaScriptEncoder.Default).ToString() } })
            .DistinctBy(k => k.Value, StringComparer.Ordinal)
            .OrderByDescending(k => k.Value.Length)];
    }

    /// <summary>A scanner that knows no values, only the patterns.</summary>
    public static SecretScanner PatternsOnly { get; } = new([]);

    /// <summary>
    /// The kinds of secret found in <paramref name="text"/>, each once: known values first, then patterns in a fixed
    /// order (a pattern found only inside a known value is not counted again); empty when none.
    /// </summary>
    public IReadOnlyList<string> Find(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var kinds = new List<string>();
        foreach (var known in _known)
        {
            if (text.Contains(known.Value, StringComparison.Ordinal))
            {
                kinds.Add(known.Kind);
                text = text.Replace(known.Value, Placeholder(known.Kind), StringComparison.Ordinal);
            }
        }

        kinds.AddRange(Patterns.Where(p => p.Pattern.IsMatch(text)).Select(p => p.Kind));
        return [.. kinds.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The text with every secret found replaced by <c>[redacted …]</c>.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var known in _known)
        {
            text = text.Replace(known.Value, Placeholder(known.Kind), StringComparison.Ordinal);
        }

        foreach (var (kind, pattern) in Patterns)
        {
            text = pattern.Replace(text, Placeholder(kind));
        }

        return text;
    }

    /// <summary>The text with every known value (not the patterns) replaced by <c>[redacted …]</c>: for tool output, where patterns would mangle ordinary text.</summary>
    public string RedactKnown(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var known in _known)
        {
            text = text.Replace(known.Value, Placeholder(known.Kind), StringComparison.Ordinal);
        }

        return text;
    }

    private static string Placeholder(string kind) => $"[redacted {kind}]";

    [GeneratedRegex(@"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----(?:.*?-----END (?:[A-Z]+ )*PRIVATE KEY-----)?", RegexOptions.Singleline)]
    private static partial Regex PrivateKey();

    // Keys are lucid_sk_ and 48 base62 characters (ApiKeyService); a shorter run still gives most of one away, while the
    // six characters after the prefix that key listings show are not a secret.
    [GeneratedRegex(@"lucid_sk_[0-9A-Za-z]{16,}")]
    private static partial Regex LucidKey();

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
