namespace Lucid.Files;

/// <summary>The MIME types Lucid guesses from a file name's extension, and the extension of a known type.</summary>
internal static class MimeTypes
{
    /// <summary>The type of bytes nothing more is known about.</summary>
    public const string Binary = "application/octet-stream";

    private static readonly (string Extension, string Type)[] Known =
    [
        (".txt", "text/plain"), (".md", "text/markdown"), (".csv", "text/csv"), (".html", "text/html"), (".json", "application/json"),
        (".xml", "application/xml"), (".yaml", "application/yaml"), (".pdf", "application/pdf"), (".png", "image/png"),
        (".jpg", "image/jpeg"), (".gif", "image/gif"), (".webp", "image/webp"), (".zip", "application/zip"), (".py", "text/x-python"),
        (".cs", "text/x-csharp"), (".js", "text/javascript"), (".sh", "application/x-sh"),
    ];

    /// <summary>The type of a file named <paramref name="filename"/>, by its extension.</summary>
    public static string Of(string filename)
    {
        var extension = Path.GetExtension(filename);
        return Known.FirstOrDefault(k => string.Equals(k.Extension, extension, StringComparison.OrdinalIgnoreCase)).Type ?? Binary;
    }

    /// <summary>The extension of <paramref name="mimeType"/> (with its dot), or empty when it is not known.</summary>
    public static string ExtensionOf(string mimeType) =>
        Known.FirstOrDefault(k => string.Equals(k.Type, mimeType, StringComparison.OrdinalIgnoreCase)).Extension ?? "";
}
