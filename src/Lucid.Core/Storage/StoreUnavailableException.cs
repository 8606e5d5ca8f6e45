namespace Lucid.Storage;

/// <summary>
/// The store cannot take the operation now — it is locked by another writer, or out of space — and nothing was written.
/// The server answers 503; the caller may retry.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
