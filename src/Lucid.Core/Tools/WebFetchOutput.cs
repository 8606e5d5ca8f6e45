using System.Globalization;

namespace Lucid.Tools;

/// <summary>What the <c>web_fetch</c> script printed: curl's exit code and message, the response's status line, and the body.</summary>
/// <param name="CurlExit">curl's exit code (-1 when the script did not get to print it).</param>
/// <param name="CurlMessage">curl's error message, empty when it gave none.</param>
/// <param name="Status">The response's HTTP status, 0 when none was received.</param>
/// <param name="ContentType">The response's content type, empty when it gave none.</param>
/// <param name="BodyBytes">How many bytes of the body were read (one more than the limit when it was cut).</param>
/// <param name="Body">The body as text.</param>
/// <param name="RedirectUrl">Where a redirect response points, empty when it is none.</param>
internal sealed record WebFetchOutput(int CurlExit, string CurlMessage, int Status, string ContentType, long BodyBytes, string Body, string RedirectUrl = "")
{
    /// <summary>
    /// Reads the script's output: <c>exit N</c>, <c>bytes N</c>, curl's message, <c>status CODE TYPE</c> and <c>redirect URL</c> lines in
    /// any order, then <paramref name="bodyMarker"/> on a line of its own, then the body.
    /// </summary>
    public static WebFetchOutput Parse(string output, string bodyMarker)
    {
        ArgumentNullException.ThrowIfNull(output);
        var marker = output.IndexOf(bodyMarker + "\n", StringComparison.Ordinal);
        var head = marker < 0 ? output : output[..marker];
        var body = marker < 0 ? "" : output[(marker + bodyMarker.Length + 1)..];

        int exit = -1, status = 0;
        long bytes = 0;
        string message = "", contentType = "", redirect = "";
        foreach (var line in head.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("exit ", StringComparison.Ordinal))
            {
                exit = Number(line["exit ".Length..], -1);
            }
            else if (line.StartsWith("bytes ", StringComparison.Ordinal))
            {
                bytes = Number(line["bytes ".Length..], 0);
            }
            else if (line.StartsWith("status ", StringComparison.Ordinal))
            {
                var fields = line["status ".Length..].Split(' ', 2);
                status = Number(fields[0], 0);
                contentType = fields.Length > 1 ? fields[1].Trim() : "";
            }
            else if (line.StartsWith("redirect", StringComparison.Ordinal))
            {
                redirect = line["redirect".Length..].Trim();
            }
            else
            {
                message = message.Length == 0 ? line.Trim() : $"{message} {line.Trim()}";
            }
        }

        return new WebFetchOutput(exit, message, status, contentType, bytes, body, redirect);
    }

    private static int Number(string text, int fallback) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : fallback;
}
