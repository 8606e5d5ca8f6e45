using System.Net.Http.Headers;

namespace Lucid.Reliability.Tests.Fuzz;

/// <summary>One bad request: what is bad about it, the route it aims at, and the request itself.</summary>
internal sealed record BadRequest(BadKind Kind, FuzzRoute Route, HttpMethod Method, string Path, byte[]? Body, string? LastEventId)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (LastEventId is not null)
        {
            message.Headers.TryAddWithoutValidation("Last-Event-ID", LastEventId);
        }

        return message;
    }

    public override string ToString() => $"{Kind} {Method} {(Path.Length <= 160 ? Path : Path[..160] + "…")}{(Body is null ? "" : $" ({Body.Length:N0} bytes)")}";
}
