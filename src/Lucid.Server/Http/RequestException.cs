using Lucid.Results;

namespace Lucid.Server.Http;

/// <summary>
/// A request the server cannot accept, raised while reading its JSON deep inside a nested shape. The API edge turns it
/// into the error response; nothing has been stored when it is thrown.
/// </summary>
internal sealed class RequestException(LucidError error) : Exception(error.Message)
{
    public LucidError Error { get; } = error;

    public static RequestException Invalid(string field, string message) => new(LucidError.Invalid(field, message));
}
