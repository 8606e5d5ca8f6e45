namespace Lucid.Sandboxing;

/// <summary>
/// Resource limits of a sandboxed command, set as hard limits (<c>setrlimit</c>) before the command starts, so nothing in
/// the sandbox can raise them. The time a command may take is the tools' time limit (<see cref="Tools.ToolLimits"/>).
/// </summary>
public sealed record SandboxLimits
{
    /// <summary>CPU time each process may use, in seconds (<c>RLIMIT_CPU</c>). Defaults to 600.</summary>
    public int CpuSeconds { get; init; } = 600;

    /// <summary>
    /// Memory each process may allocate: its heap and private writable mappings (<c>RLIMIT_DATA</c>, which unlike the
    /// address-space limit leaves runtimes that reserve large ranges up front working). Defaults to 4 GiB.
    /// </summary>
    public long MemoryBytes { get; init; } = 4L << 30;

    /// <summary>
    /// Processes and threads the sandbox may hold at once (<c>RLIMIT_NPROC</c>, counted in the sandbox's own user
    /// namespace). The kernel does not apply it when the server runs as root. Defaults to 1024.
    /// </summary>
    public int Processes { get; init; } = 1024;

    /// <summary>The largest file a process may write (<c>RLIMIT_FSIZE</c>). Defaults to 1 GiB.</summary>
    public long FileSizeBytes { get; init; } = 1L << 30;

    /// <summary>The size of the sandbox's private <c>/tmp</c> (a tmpfs, held in memory). Defaults to 512 MiB.</summary>
    public long TmpBytes { get; init; } = 512L << 20;
}
