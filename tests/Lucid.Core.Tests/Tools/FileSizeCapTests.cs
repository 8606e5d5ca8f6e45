using System.Text.Json;
using Lucid.Tools;

namespace Lucid.Core.Tests.Tools;

public sealed class FileSizeCapTests : IDisposable
{
    private const int Cap = 1_000;
    private readonly string _root = Directory.CreateTempSubdirectory("lucid-caps-").FullName;
    private readonly ToolContext _context;

    public FileSizeCapTests() =>
        _context = new ToolContext
        {
            Directory = new WorkDirectory(_root),
            Limits = new ToolLimits { MaxOutputChars = 2_000, MaxReadFileBytes = Cap, MaxEditFileBytes = Cap, MaxWriteBytes = Cap },
        };

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<ToolResult> RunAsync(string tool, object input) =>
        (BuiltInTools.Find(tool) ?? throw new ArgumentException(tool)).InvokeAsync(JsonSerializer.SerializeToElement(input), _context, CancellationToken.None);

    private string Put(string name, string content)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Read_of_a_file_over_its_cap_is_refused_naming_the_size_and_the_cap()
    {
        Put("at-cap.txt", new string('a', Cap - 1) + "\n");
        Put("over-cap.txt", new string('a', Cap) + "\n");

        var atCap = await RunAsync("read", new { file_path = "at-cap.txt", view_range = new[] { 1, 1 } });
        var overCap = await RunAsync("read", new { file_path = "over-cap.txt", view_range = new[] { 1, 1 } });

        Assert.False(atCap.IsError, atCap.Content);
        Assert.True(overCap.IsError);
        Assert.Equal("read: 'over-cap.txt' is 1,001 bytes, over the 1,000-byte limit of read; look into parts of it with bash (head, tail, sed -n).", overCap.Content);
    }

    [Fact]
    public async Task Read_takes_lines_only_until_its_output_is_full()
    {
        using var endless = new EndlessText(stopAfterLines: 10_000);
        using var counted = new EndlessText(stopAfterLines: 10_000);

        var full = await ToolOutput.NumberedLinesAsync(endless, null, 2_000, CancellationToken.None);
        var range = await ToolOutput.NumberedLinesAsync(counted, [5, 7], 2_000, CancellationToken.None);

        Assert.Contains("characters cut", full, StringComparison.Ordinal);
        Assert.InRange(endless.LinesRead, 200, 400);
        Assert.Equal("     5\tline 5\n     6\tline 6\n     7\tline 7\n", range);
        Assert.Equal(7, counted.LinesRead);
    }

    [Fact]
    public async Task Edit_of_a_file_over_its_cap_is_refused_and_leaves_it_as_it_was()
    {
        var content = "needle\n" + new string('a', Cap);
        var path = Put("big.txt", content);

        var result = await RunAsync("edit", new { file_path = "big.txt", old_string = "needle", new_string = "pin" });

        Assert.True(result.IsError);
        Assert.Equal("edit: 'big.txt' is 1,007 bytes, over the 1,000-byte limit of edit; change it with bash instead.", result.Content);
        Assert.Equal(content, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Edit_that_would_grow_a_file_past_the_cap_is_refused_before_it_is_built()
    {
        var content = string.Concat(Enumerable.Repeat("x\n", 100));
        var path = Put("small.txt", content);

        var grown = await RunAsync("edit", new { file_path = "small.txt", old_string = "x", new_string = new string('y', 10), replace_all = true });
        var fits = await RunAsync("edit", new { file_path = "small.txt", old_string = "x", new_string = new string('y', 9), replace_all = true });

        Assert.True(grown.IsError);
        Assert.Equal("edit: 'small.txt' after this edit is 1,100 bytes, over the 1,000-byte limit of edit; nothing was written.", grown.Content);
        Assert.False(fits.IsError, fits.Content);
        Assert.Equal(1_000, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Write_of_content_over_its_cap_is_refused_counting_utf8_bytes_and_writes_nothing()
    {
        var atCap = await RunAsync("write", new { file_path = "at-cap.txt", content = new string('é', Cap / 2) });
        var overCap = await RunAsync("write", new { file_path = "over-cap.txt", content = new string('é', (Cap / 2) + 1) });

        Assert.False(atCap.IsError, atCap.Content);
        Assert.True(overCap.IsError);
        Assert.Equal("write: the content is 1,002 bytes, over the 1,000-byte limit of write; nothing was written.", overCap.Content);
        Assert.False(File.Exists(Path.Combine(_root, "over-cap.txt")));
    }

    // A text that never ends, counting the lines taken from it; past a bound it fails the test instead of hanging it.
    private sealed class EndlessText(int stopAfterLines) : TextReader
    {
        public int LinesRead { get; private set; }

        public override string ReadLine()
        {
            LinesRead++;
            return LinesRead <= stopAfterLines ? $"line {LinesRead}" : throw new InvalidOperationException("Read past what could be returned.");
        }

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(ReadLine());
    }
}
