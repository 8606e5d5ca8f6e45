namespace Lucid.Testing.Server;

/// <summary>How to start a <see cref="LucidNodeProcess"/>.</summary>
/// <param name="LucidDll">The path of the built <c>lucid.dll</c>.</param>
/// <param name="Home">Its <c>LUCID_HOME</c> (data directory); each node may have its own.</param>
/// <param name="Database">The cluster's PostgreSQL database, an Npgsql connection string.</param>
public sealed record LucidNodeSettings(string LucidDll, string Home, string Database)
{
    /// <summary>Variables added to its environment, such as a provider's base URL and key.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>More <c>lucid serve</c> options, such as <c>--node-probe-timeout 1</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
}
