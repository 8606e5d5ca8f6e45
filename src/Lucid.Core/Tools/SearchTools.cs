using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Lucid.Tools;

/// <summary>Finds files by glob pattern.</summary>
internal sealed class GlobTool : BuiltInTool
{
    private const int MaxResults = 1000;

    private static readonly JsonElement Schema = ToolInput.Schema("""
        {"type":"object","properties":{
          "pattern":{"type":"string","description":"A glob such as **/*.cs or src/*.md."},
          "path":{"type":"string","description":"The directory to search in (default: the directory's root)."}},
         "required":["pattern"],"additionalProperties":false}
        """);

    public override string Name => "glob";

    public override string Description => "Find files in the session's directory whose paths match a glob pattern (** matches any directories); returns directory-relative paths, sorted.";

    public override JsonElement InputSchema => Schema;

    protected override Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var fields = new ToolInput(Name, input);
        var pattern = fields.String("pattern", required: true, out var e1);
        var path = fields.String("path", required: false, out var e2);
        if (pattern is null || (e1 ?? e2) is not null)
        {
            return Task.FromResult(e1 ?? e2 ?? ToolResult.Fail("glob: the input field 'pattern' is required."));
        }

        if (path is not null && MemoryFiles.Route(context, path) is { } memory)
        {
            return memory.IsSuccess
                ? MemoryFiles.GlobAsync(memory.Value.Mounts, memory.Value.Target, pattern, cancellationToken)
                : Task.FromResult(ToolResult.Fail($"glob: {memory.Error.Message}"));
        }

        var directory = Search.Directory(context, path);
        if (!directory.IsSuccess)
        {
            return Task.FromResult(ToolResult.Fail(directory.Error.Message));
        }

        var matcher = new Matcher(StringComparison.Ordinal).AddInclude(pattern);
        var files = matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(directory.Value))).Files
            .Select(f => Path.GetFullPath(Path.Combine(directory.Value, f.Path)))
            .Where(f => Search.Inside(context, f))
            .Select(f => ToolOutput.Relative(context.Directory, f))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            return Task.FromResult(ToolResult.Ok("No files match."));
        }

        var text = string.Join("\n", files.Take(MaxResults))
            + (files.Count > MaxResults ? string.Create(CultureInfo.InvariantCulture, $"\n… {files.Count - MaxResults:N0} more files") : "");
        return Task.FromResult(ToolResult.Ok(ToolOutput.Limit(text, context.Limits.MaxOutputChars)));
    }
}

/// <summary>Searches file contents with a regular expression.</summary>
internal sealed class GrepTool : BuiltInTool
{
    private const long MaxFileBytes = 4 * 1024 * 1024;

    private static readonly JsonElement Schema = ToolInput.Schema("""
        {"type":"object","properties":{
          "pattern":{"type":"string","description":"A .NET regular expression to search for, line by line."},
          "path":{"type":"string","description":"A file or directory to search (default: the directory's root)."},
          "glob":{"type":"string","description":"Only search files whose directory-relative path matches this glob, e.g. **/*.cs."},
          "case_insensitive":{"type":"boolean","description":"Ignore case (default false)."}},
         "required":["pattern"],"additionalProperties":false}
        """);

    public override string Name => "grep";

    public override string Description => "Search text files in the session's directory for a regular expression; returns path:line:text for each matching line. Binary files and files over 4 MiB are skipped.";

    public override JsonElement InputSchema => Schema;

    protected override async Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var fields = new ToolInput(Name, input);
        var pattern = fields.String("pattern", required: true, out var e1);
        var path = fields.String("path", required: false, out var e2);
        var glob = fields.String("glob", required: false, out var e3);
        if (pattern is null || (e1 ?? e2 ?? e3) is not null)
        {
            return e1 ?? e2 ?? e3 ?? ToolResult.Fail("grep: the input field 'pattern' is required.");
        }

        Regex regex;
        try
        {
            var options = RegexOptions.CultureInvariant | (fields.Bool("case_insensitive") ? RegexOptions.IgnoreCase : RegexOptions.None);
            regex = new Regex(pattern, options, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            return ToolResult.Fail($"grep: '{pattern}' is not a valid regular expression: {ex.Message}");
        }

        if (path is not null && MemoryFiles.Route(context, path) is { } memory)
        {
            return memory.IsSuccess
                ? await MemoryFiles.GrepAsync(memory.Value.Mounts, memory.Value.Target, regex, glob, context, cancellationToken)
                : ToolResult.Fail($"grep: {memory.Error.Message}");
        }

        var target = context.Directory.Resolve(path ?? ".");
        if (!target.IsSuccess)
        {
            return ToolResult.Fail(target.Error.Message);
        }

        IEnumerable<string> files;
        if (File.Exists(target.Value))
        {
            files = [target.Value];
        }
        else if (Directory.Exists(target.Value))
        {
            var matcher = new Matcher(StringComparison.Ordinal).AddInclude(glob ?? "**/*");
            files = matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(target.Value))).Files
                .Select(f => Path.GetFullPath(Path.Combine(target.Value, f.Path)))
                .Order(StringComparer.Ordinal);
        }
        else
        {
            return ToolResult.Fail($"grep: '{path}' does not exist.");
        }

        var output = new StringBuilder();
        var matches = 0;
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Search.Inside(context, file) || new FileInfo(file).Length > MaxFileBytes || ToolOutput.LooksBinary(file))
            {
                continue;
            }

            var relative = ToolOutput.Relative(context.Directory, file);
            var number = 0;
            foreach (var line in await File.ReadAllLinesAsync(file, cancellationToken))
            {
                number++;
                bool isMatch;
                try
                {
                    isMatch = regex.IsMatch(line);
                }
                catch (RegexMatchTimeoutException)
                {
                    return ToolResult.Fail($"grep: the pattern took too long on {relative}:{number}; simplify it.");
                }

                if (isMatch)
                {
                    matches++;
                    output.Append(CultureInfo.InvariantCulture, $"{relative}:{number}:{line}\n");
                    if (output.Length > context.Limits.MaxOutputChars * 2)
                    {
                        return ToolResult.Ok(ToolOutput.Limit(output + "… (search stopped: too much output)", context.Limits.MaxOutputChars));
                    }
                }
            }
        }

        return ToolResult.Ok(matches == 0 ? "No matches." : ToolOutput.Limit(output.ToString(), context.Limits.MaxOutputChars));
    }
}

/// <summary>Path checks shared by the search tools.</summary>
internal static class Search
{
    public static Results.Result<string> Directory(ToolContext context, string? path)
    {
        var resolved = context.Directory.Resolve(path ?? ".");
        if (!resolved.IsSuccess)
        {
            return resolved;
        }

        return System.IO.Directory.Exists(resolved.Value)
            ? resolved
            : Results.LucidError.Invalid("path", $"'{path}' is not a directory of the session's directory.");
    }

    /// <summary>Whether a found file really lies inside the directory (a symlinked directory may lead out).</summary>
    public static bool Inside(ToolContext context, string fullPath)
    {
        var resolved = context.Directory.Resolve(fullPath);
        return resolved.IsSuccess;
    }
}
