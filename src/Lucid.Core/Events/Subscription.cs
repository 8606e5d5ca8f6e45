namespace Lucid.Events;

/// <summary>A subscription that something ends: the first <see cref="Dispose"/> ends it, later ones do nothing.</summary>
public sealed class Subscription(Action end) : IDisposable
{
    private int _ended;

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            end();
        }
    }
}
