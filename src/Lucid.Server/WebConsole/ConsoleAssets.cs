using Microsoft.AspNetCore.Http;

namespace Lucid.Server.WebConsole;

/// <summary>
/// The console's stylesheet and script, embedded in the assembly and served by Lucid itself (no CDN, nothing to
/// install), cached by browsers for a day.
/// </summary>
internal static class ConsoleAssets
{
    public const string Path = "/console/assets";

    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = Load();

    public static IResult Serve(string name, HttpContext http)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.Bytes(file.Content, file.Type);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("console/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource["console/".Length..];
            files[name] = (copy.ToArray(), name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        }

        return files;
    }
}
