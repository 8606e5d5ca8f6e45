using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Lucid.Reliability.Tests.Fuzz;

/// <summary>What a route's body is, for the fuzzer.</summary>
internal enum FuzzBody
{
    /// <summary>The handler reads no body: a body would be ignored, so none is bad input.</summary>
    None,

    /// <summary>A JSON object.</summary>
    Json,

    /// <summary>A transcript file (JSON or JSONL).</summary>
    File,
}

/// <summary>What the fuzzer knows of one route: the query parameters its handler reads and the body it takes.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Pattern">The route pattern, as the server maps it (<c>/v1/agents/{id}</c>).</param>
internal sealed partial record FuzzRoute(string Method, string Pattern)
{
    /// <summary>The query parameters (and the <c>Last-Event-ID</c> header) the handler checks, so a bad value of any one is a 4xx.</summary>
    public IReadOnlyList<string> Query { get; init; } = [];

    /// <summary>What the body is.</summary>
    public FuzzBody Body { get; init; }

    /// <summary>The fields of a JSON body, so a bad value of any one is a 4xx.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>A body the handler accepts, which one bad field spoils; an empty object when null.</summary>
    public Func<FuzzWorld, JsonObject>? Valid { get; init; }

    /// <summary>How the route is named in the server's endpoint list: <c>GET /v1/agents/{id}</c>.</summary>
    public string Key => $"{Method} {Pattern}";

    /// <summary>The route's parameters, in order, each with the path segment before it (which says what it names).</summary>
    public IReadOnlyList<(string Name, string Resource)> Parameters =>
        [.. Parameter().Matches(Pattern).Select(m => (m.Groups[2].Value, m.Groups[1].Value))];

    [GeneratedRegex(@"/([a-z_]+)/\{(\w+)\}")]
    private static partial Regex Parameter();
}
