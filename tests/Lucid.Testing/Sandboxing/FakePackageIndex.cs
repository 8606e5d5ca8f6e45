using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lucid.Testing.Server;
using Microsoft.AspNetCore.Http;

namespace Lucid.Testing.Sandboxing;

/// <summary>
/// A Python package index (PEP 503 simple index, at <c>/simple/</c>) and an npm registry (at <c>/</c>) on a loopback
/// port, serving packages built in memory: a wheel with one module, and an npm tarball with one <c>index.js</c>. Every
/// request path is recorded, so a test can count downloads.
/// </summary>
public sealed class FakePackageIndex : IAsyncDisposable
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<string>> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly LoopbackHttpServer _server;

    public FakePackageIndex() => _server = new LoopbackHttpServer(ServeAsync);

    /// <summary>The server's base address, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => _server.BaseUrl;

    /// <summary>The index URL to give pip.</summary>
    public Uri PipIndexUrl => new($"{BaseUrl}/simple/");

    /// <summary>The registry URL to give npm.</summary>
    public Uri NpmRegistry => new($"{BaseUrl}/");

    /// <summary>Every request path, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Starts listening.</summary>
    public Task StartAsync() => _server.StartAsync();

    /// <summary>Publishes a Python distribution <paramref name="name"/> whose module (the name with <c>_</c>) holds <paramref name="source"/>.</summary>
    public string AddPython(string name, string version, string source)
    {
        var module = name.Replace('-', '_');
        var wheel = $"{module}-{version}-py3-none-any.whl";
        var bytes = Wheel(module, version, name, source);
        _files[$"/files/{wheel}"] = bytes;
        _pages[$"/simple/{name}/"] = () =>
            $"<!DOCTYPE html><html><body><a href=\"/files/{wheel}#sha256={Convert.ToHexStringLower(SHA256.HashData(bytes))}\">{wheel}</a></body></html>";
        return $"/files/{wheel}";
    }

    /// <summary>Publishes an npm package <paramref name="name"/> whose <c>index.js</c> is <paramref name="source"/>.</summary>
    public string AddNpm(string name, string version, string source)
    {
        var path = $"/{name}/-/{name}-{version}.tgz";
        var bytes = Tarball(name, version, source);
        _files[path] = bytes;
        _pages[$"/{name}"] = () => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = name,
            ["dist-tags"] = new Dictionary<string, string> { ["latest"] = version },
            ["versions"] = new Dictionary<string, object>
            {
                [version] = new Dictionary<string, object>
                {
                    ["name"] = name,
                    ["version"] = version,
                    ["main"] = "index.js",
                    ["dist"] = new Dictionary<string, string>
                    {
                        ["tarball"] = BaseUrl + path,
                        ["integrity"] = "sha512-" + Convert.ToBase64String(SHA512.HashData(bytes)),
                    },
                },
            },
        });
        return path;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(HttpContext http)
    {
        var path = Uri.UnescapeDataString(http.Request.Path.Value ?? "/");
        _requests.Enqueue(path);
        if (_files.TryGetValue(path, out var file))
        {
            http.Response.ContentType = "application/octet-stream";
            await http.Response.Body.WriteAsync(file);
        }
        else if (_pages.TryGetValue(path, out var page))
        {
            http.Response.ContentType = path.StartsWith("/simple/", StringComparison.Ordinal) ? "text/html" : "application/json";
            await http.Response.WriteAsync(page());
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private static byte[] Wheel(string module, string version, string name, string source)
    {
        var info = $"{module}-{version}.dist-info";
        var entries = new List<(string Path, byte[] Bytes)>
        {
            ($"{module}/__init__.py", Encoding.UTF8.GetBytes(source)),
            ($"{info}/METADATA", Encoding.UTF8.GetBytes($"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")),
            ($"{info}/WHEEL", Encoding.UTF8.GetBytes("Wheel-Version: 1.0\nGenerator: lucid-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")),
        };
        var record = new StringBuilder();
        foreach (var (path, bytes) in entries)
        {
            var hash = Convert.ToBase64String(SHA256.HashData(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            record.Append(System.Globalization.CultureInfo.InvariantCulture, $"{path},sha256={hash},{bytes.Length}\n");
        }

        record.Append(System.Globalization.CultureInfo.InvariantCulture, $"{info}/RECORD,,\n");
        entries.Add(($"{info}/RECORD", Encoding.UTF8.GetBytes(record.ToString())));
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, bytes) in entries)
            {
                using var stream = zip.CreateEntry(path).Open();
                stream.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    private static byte[] Tarball(string name, string version, string source)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, text) in new[]
            {
                ("package/package.json", JsonSerializer.Serialize(new { name, version, main = "index.js" })),
                ("package/index.js", source),
            })
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }
}
