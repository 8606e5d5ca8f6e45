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
/// A Python package index (PEP 503 simple index, at <c>/simple/</c>), an npm registry (at <c>/</c>), a Go module proxy
/// (at <c>/go/</c>) and a gem source (at <c>/gems-source/</c>) on a loopback port, serving packages built in memory (a
/// wheel with one module, an npm tarball with one <c>index.js</c>, a Go module with one command) or, for gems, a
/// directory that <c>gem generate_index</c> made. Every request path is recorded, so a test can count downloads.
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

    /// <summary>
    /// The proxy URL to give go. Go never sends <c>localhost</c> or a loopback address through a proxy, and the
    /// installation's sandbox reaches nothing directly; the name in capitals is the same host to the egress proxy but
    /// not to Go's exact comparison, so the request goes through the proxy as a remote mirror's would.
    /// </summary>
    public Uri GoProxy => new($"http://LOCALHOST:{new Uri(BaseUrl).Port}/go/");

    /// <summary>The gem source URL to give gem.</summary>
    public Uri GemSource => new($"{BaseUrl}/gems-source/");

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

    /// <summary>
    /// Publishes a Go module <paramref name="module"/> at <paramref name="version"/> (such as <c>v1.0.0</c>) whose root
    /// package is a command printing <paramref name="printed"/>; returns the path of its zip.
    /// </summary>
    public string AddGo(string module, string version, string printed)
    {
        var root = $"/go/{module}/@v/";
        var info = JsonSerializer.Serialize(new Dictionary<string, string> { ["Version"] = version, ["Time"] = "2026-01-01T00:00:00Z" });
        var goMod = $"module {module}\n\ngo 1.19\n";
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in new[]
            {
                ("go.mod", goMod),
                ("main.go", $"package main\n\nimport \"fmt\"\n\nfunc main() {{ fmt.Println({JsonSerializer.Serialize(printed)}) }}\n"),
            })
            {
                using var stream = zip.CreateEntry($"{module}@{version}/{path}").Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        _pages[root + "list"] = () => version + "\n";
        _pages[root + version + ".info"] = () => info;
        _pages[$"/go/{module}/@latest"] = () => info;
        _pages[root + version + ".mod"] = () => goMod;
        _files[root + version + ".zip"] = buffer.ToArray();
        return root + version + ".zip";
    }

    /// <summary>Serves every file under <paramref name="directory"/> (a gem source made by <c>gem generate_index</c>) at <see cref="GemSource"/>.</summary>
    public void AddGemSource(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            _files["/gems-source/" + Path.GetRelativePath(directory, file).Replace('\\', '/')] = File.ReadAllBytes(file);
        }
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
            http.Response.ContentType = path.StartsWith("/simple/", StringComparison.Ordinal) ? "text/html"
                : path.StartsWith("/go/", StringComparison.Ordinal) ? "text/plain" : "application/json";
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
