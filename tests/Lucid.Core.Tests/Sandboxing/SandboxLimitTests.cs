using Lucid.Sandboxing;

namespace Lucid.Core.Tests.Sandboxing;

public sealed class SandboxLimitTests : IDisposable
{
    private readonly SandboxScene _scene = new();

    public void Dispose() => _scene.Dispose();

    private static SandboxOptions With(SandboxLimits limits) => new() { Limits = limits };

    [Fact]
    public async Task A_memory_hog_is_stopped_by_the_memory_limit()
    {
        // tail keeps a line without end in memory: 200 MB of zero bytes against a 64 MiB limit.
        var result = await _scene.BashAsync(
            "head -c 200000000 /dev/zero | tail | wc -c; echo \"tail=${PIPESTATUS[1]}\"", With(new SandboxLimits { MemoryBytes = 64L << 20 }));

        Assert.Contains("tail: memory exhausted", result.Content, StringComparison.Ordinal);
        Assert.Contains("tail=1", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_cut_and_its_writer_stopped()
    {
        var result = await _scene.BashAsync("head -c 5000000 /dev/zero > big.bin; echo \"head=$?\"", With(new SandboxLimits { FileSizeBytes = 1L << 20 }));

        Assert.Contains("File size limit exceeded", result.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("head=0", result.Content, StringComparison.Ordinal);
        Assert.Equal(1L << 20, new FileInfo(Path.Combine(_scene.Root, "big.bin")).Length);
    }

    [Fact]
    public async Task Tmp_is_bounded_by_its_size()
    {
        var result = await _scene.BashAsync("head -c 8000000 /dev/zero > /tmp/fill; echo \"head=$?\"", With(new SandboxLimits { TmpBytes = 2L << 20 }));

        Assert.Contains("No space left on device", result.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("head=0", result.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_limits_are_hard_limits_the_command_cannot_raise()
    {
        var limits = new SandboxLimits { CpuSeconds = 7, MemoryBytes = 256L << 20, Processes = 99, FileSizeBytes = 3L << 20 };

        var result = await _scene.BashAsync(
            "echo \"t=$(ulimit -H -t) d=$(ulimit -H -d) u=$(ulimit -H -u) f=$(ulimit -H -f) soft-t=$(ulimit -S -t)\"; ulimit -t 8 || echo raise-refused", With(limits));

        Assert.Contains("t=7 d=262144 u=99 f=3072 soft-t=7\n", result.Content, StringComparison.Ordinal);
        Assert.Contains("raise-refused", result.Content, StringComparison.Ordinal);
    }
}
