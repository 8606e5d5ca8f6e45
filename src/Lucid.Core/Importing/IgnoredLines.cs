namespace Lucid.Importing;

/// <summary>Lines left out because they carry nothing Lucid imports, counted by type.</summary>
internal sealed class IgnoredLines
{
    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Add(string type) => _counts[type] = _counts.GetValueOrDefault(type) + 1;

    public IReadOnlyDictionary<string, int> ToDictionary() => new Dictionary<string, int>(_counts, StringComparer.Ordinal);
}
