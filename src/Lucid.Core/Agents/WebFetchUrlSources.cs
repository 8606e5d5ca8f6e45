namespace Lucid.Agents;

/// <summary>
/// Limits <c>web_fetch</c> to URLs the conversation has already shown the model, source by source: the text of user
/// messages, custom tools' results, and the results of <c>web_fetch</c> (and <c>web_search</c>, which Lucid does not run).
/// </summary>
public sealed record WebFetchUrlSources
{
    /// <summary>Whether URLs in the text of user messages may be fetched.</summary>
    public bool UserInput { get; init; } = true;

    /// <summary>Which custom tools' results contribute URLs.</summary>
    public UrlSourceFilter ClientToolResults { get; init; } = UrlSourceFilter.All;

    /// <summary>Which of <c>web_search</c> and <c>web_fetch</c>'s results contribute URLs.</summary>
    public UrlSourceFilter ServerToolResults { get; init; } = UrlSourceFilter.All;
}
