using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lucid.Tools;

/// <summary>Reads a text file with line numbers, or lists a directory.</summary>
internal sealed class ReadTool : BuiltInTool
{
    private static readonly JsonElement Schema = ToolInput.Schema("""
        {"type":"object","properties":{
          "file_path":{"type":"string","description":"The file to read, relative to the session's directory or absolute inside it."},
          "view_range":{"type":"array","items":{"type":"integer"},"minItems":2,"maxItems":2,"description":"[first_line, last_line], 1-based and inclusive; -1 as last_line reads to the end."}},
         "required":["file_path"],"additionalProperties":false}
        """);

    public override string Name => "read";

    public override string Description => "Read a text file from the session's directory, with line numbers (optionally only a range of lines), or list a directory.";

    public override JsonElement InputSchema => Schema;

    protected override async Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var fields = new ToolInput(Name, input);
        var filePath = fields.String("file_path", required: true, out var error);
        var range = fields.Numbers("view_range", out var rangeError);
        if (filePath is null || error is not null || rangeError is not null)
        {
            return error ?? rangeError ?? ToolResult.Fail("read: the input field 'file_path' is required.");
        }

        if (range is { Length: not 2 })
        {
            return ToolResult.Fail("read: view_range must be [first_line, last_line].");
        }

        if (MemoryFiles.Route(context, filePath) is { } memory)
        {
            return memory.IsSuccess
                ? await MemoryFiles.ReadAsync(memory.Value.Mounts, memory.Value.Target, filePath, range, context, cancellationToken)
                : ToolResult.Fail($"read: {memory.Error.Message}");
        }

        var resolved = context.Directory.Resolve(filePath);
        if (!resolved.IsSuccess)
        {
            return ToolResult.Fail(resolved.Error.Message);
        }

        var path = resolved.Value;
        if (Directory.Exists(path))
        {
            var entries = new DirectoryInfo(path).EnumerateFileSystemInfos()
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .Select(e => e is DirectoryInfo ? e.Name + "/" : e.Name);
            return ToolResult.Ok(ToolOutput.Limit(string.Join("\n", entries), context.Limits.MaxOutputChars));
        }

        if (!File.Exists(path))
        {
            return ToolResult.Fail($"read: '{filePath}' does not exist.");
        }

        if (FileSizeCap.File(Name, filePath, path, context.Limits.MaxReadFileBytes, "look into parts of it with bash (head, tail, sed -n).") is { } tooLarge)
        {
            return tooLarge;
        }

        if (ToolOutput.LooksBinary(path))
        {
            return ToolResult.Fail($"read: '{filePath}' is a binary file; only text files can be read.");
        }

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return ToolResult.Ok(await ToolOutput.NumberedLinesAsync(reader, range, context.Limits.MaxOutputChars, cancellationToken));
    }
}

/// <summary>Writes a text file, creating its directories.</summary>
internal sealed class WriteTool : BuiltInTool
{
    private static readonly JsonElement Schema = ToolInput.Schema("""
        {"type":"object","properties":{
          "file_path":{"type":"string","description":"The file to write, relative to the session's directory or absolute inside it."},
          "content":{"type":"string","description":"The whole new content of the file."}},
         "required":["file_path","content"],"additionalProperties":false}
        """);

    public override string Name => "write";

    public override string Description => "Write a text file in the session's directory (UTF-8), replacing it if it exists and creating missing directories.";

    public override JsonElement InputSchema => Schema;

    protected override async Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var fields = new ToolInput(Name, input);
        var filePath = fields.String("file_path", required: true, out var error);
        var content = fields.String("content", required: true, out var contentError);
        if (filePath is null || content is null || error is not null || contentError is not null)
        {
            return error ?? contentError ?? ToolResult.Fail("write: file_path and content are required.");
        }

        if (FileSizeCap.Content(Name, "the content", Encoding.UTF8.GetByteCount(content), context.Limits.MaxWriteBytes) is { } tooLarge)
        {
            return tooLarge;
        }

        if (MemoryFiles.Route(context, filePath) is { } memory)
        {
            return memory.IsSuccess
                ? await MemoryFiles.WriteAsync(memory.Value.Mounts, memory.Value.Target, filePath, content, cancellationToken)
                : ToolResult.Fail($"write: {memory.Error.Message}");
        }

        var resolved = context.Directory.Resolve(filePath);
        if (!resolved.IsSuccess)
        {
            return ToolResult.Fail(resolved.Error.Message);
        }

        if (Directory.Exists(resolved.Value))
        {
            return ToolResult.Fail($"write: '{filePath}' is a directory.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(resolved.Value) ?? context.Directory.Root);
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content);
        await File.WriteAllBytesAsync(resolved.Value, bytes, cancellationToken);
        return ToolResult.Ok(string.Create(CultureInfo.InvariantCulture, $"Wrote {bytes.Length:N0} bytes to {ToolOutput.Relative(context.Directory, resolved.Value)}."));
    }
}

/// <summary>Replaces an exact string in a text file.</summary>
internal sealed class EditTool : BuiltInTool
{
    private static readonly JsonElement Schema = ToolInput.Schema("""
        {"type":"object","properties":{
          "file_path":{"type":"string","description":"The file to edit."},
          "old_string":{"type":"string","description":"The exact text to replace; it must occur exactly once unless replace_all is true."},
          "new_string":{"type":"string","description":"The replacement text."},
          "replace_all":{"type":"boolean","description":"Replace every occurrence (default false)."}},
         "required":["file_path","old_string","new_string"],"additionalProperties":false}
        """);

    public override string Name => "edit";

    public override string Description => "Replace an exact string in a text file of the session's directory; the string must be unique unless replace_all is set.";

    public override JsonElement InputSchema => Schema;

    protected override async Task<ToolResult> InvokeCoreAsync(JsonElement input, ToolContext context, CancellationToken cancellationToken)
    {
        var fields = new ToolInput(Name, input);
        var filePath = fields.String("file_path", required: true, out var e1);
        var oldString = fields.String("old_string", required: true, out var e2);
        var newString = fields.String("new_string", required: true, out var e3);
        if (filePath is null || oldString is null || newString is null || (e1 ?? e2 ?? e3) is not null)
        {
            return e1 ?? e2 ?? e3 ?? ToolResult.Fail("edit: file_path, old_string and new_string are required.");
        }

        if (oldString.Length == 0)
        {
            return ToolResult.Fail("edit: old_string must not be empty; use write to create a file.");
        }

        if (MemoryFiles.Route(context, filePath) is { } memory)
        {
            return memory.IsSuccess
                ? await MemoryFiles.EditAsync(memory.Value.Mounts, memory.Value.Target, filePath, oldString, newString, fields.Bool("replace_all"), cancellationToken)
                : ToolResult.Fail($"edit: {memory.Error.Message}");
        }

        var resolved = context.Directory.Resolve(filePath);
        if (!resolved.IsSuccess)
        {
            return ToolResult.Fail(resolved.Error.Message);
        }

        if (!File.Exists(resolved.Value))
        {
            return ToolResult.Fail($"edit: '{filePath}' does not exist.");
        }

        var cap = context.Limits.MaxEditFileBytes;
        if (FileSizeCap.File(Name, filePath, resolved.Value, cap, "change it with bash instead.") is { } tooLarge)
        {
            return tooLarge;
        }

        var text = await File.ReadAllTextAsync(resolved.Value, cancellationToken);
        var count = TextEdit.Count(text, oldString);
        if (count == 0)
        {
            return ToolResult.Fail($"edit: old_string was not found in '{filePath}'.");
        }

        var replaceAll = fields.Bool("replace_all");
        if (count > 1 && !replaceAll)
        {
            return ToolResult.Fail($"edit: old_string occurs {count} times in '{filePath}'; make it unique or set replace_all.");
        }

        // The size is known before the new text is built, so replace_all cannot blow a small file up in memory.
        var replaced = replaceAll ? count : 1;
        var utf8 = new UTF8Encoding(false);
        var newSize = utf8.GetByteCount(text) + (replaced * (long)(utf8.GetByteCount(newString) - utf8.GetByteCount(oldString)));
        if (FileSizeCap.Content(Name, $"'{filePath}' after this edit", newSize, cap) is { } grown)
        {
            return grown;
        }

        var updated = TextEdit.Replace(text, oldString, newString, replaceAll);
        await File.WriteAllTextAsync(resolved.Value, updated, utf8, cancellationToken);
        return ToolResult.Ok($"Replaced {replaced} occurrence(s) in {ToolOutput.Relative(context.Directory, resolved.Value)}.");
    }
}
