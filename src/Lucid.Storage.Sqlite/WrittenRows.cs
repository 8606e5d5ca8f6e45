namespace Lucid.Storage.Sqlite;

/// <summary>
/// The session and thread rows the writer has read or written, kept as objects so an append does not read and parse
/// its row back from the database (a third of an append's cost). It follows the writer's transaction: what a job
/// writes is seen by later jobs only once the job's savepoint is released, and by later groups only once the group
/// commits; a rolled-back job or group leaves nothing behind. Another process's commit to the file (the CLI beside a
/// server) empties it, seen through <c>PRAGMA data_version</c> when the next group begins. Used only from the writer's loop.
/// </summary>
internal sealed class WrittenRows
{
    // A bound on memory: past this many rows the cache starts afresh (it is only a shortcut for the logs being
    // written now, and every row it keeps is one more object for each full garbage collection to walk).
    private const int MaxRows = 2_048;
    private readonly Dictionary<string, object> _committed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _group = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object> _job = new(StringComparer.Ordinal);
    private long? _dataVersion;

    /// <summary>The row with this ID as the current job sees it, if known.</summary>
    public T? Get<T>(string id)
        where T : class =>
        (_job.TryGetValue(id, out var row) || _group.TryGetValue(id, out row) || _committed.TryGetValue(id, out row)) ? row as T : null;

    /// <summary>Records a row the current job read or wrote.</summary>
    public void Put(string id, object row) => _job[id] = row;

    /// <summary>Forgets every row: for a write the cache cannot follow (a deletion).</summary>
    public void Clear()
    {
        _committed.Clear();
        _group.Clear();
        _job.Clear();
    }

    /// <summary>
    /// A group began, holding the write lock; <paramref name="dataVersion"/> changes only when another connection
    /// committed since the last group began, and then nothing known before can be trusted.
    /// </summary>
    public void GroupBegan(long dataVersion)
    {
        if (_dataVersion != dataVersion)
        {
            _committed.Clear();
        }

        _dataVersion = dataVersion;
    }

    /// <summary>The current job's savepoint was released: the rest of the group sees its rows.</summary>
    public void JobReleased()
    {
        foreach (var (id, row) in _job)
        {
            _group[id] = row;
        }

        _job.Clear();
    }

    /// <summary>The current job was rolled back to its savepoint.</summary>
    public void JobRolledBack() => _job.Clear();

    /// <summary>The group committed: its rows are the database's now.</summary>
    public void GroupCommitted()
    {
        if (_committed.Count + _group.Count > MaxRows)
        {
            _committed.Clear();
        }

        foreach (var (id, row) in _group)
        {
            _committed[id] = row;
        }

        _group.Clear();
    }

    /// <summary>The group's transaction was rolled back, wholly or in part: only committed rows are kept.</summary>
    public void GroupRolledBack()
    {
        _group.Clear();
        _job.Clear();
    }
}
