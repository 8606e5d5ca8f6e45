namespace Lucid.Sandboxing;

/// <summary>A host file or directory bound into a sandbox.</summary>
/// <param name="HostPath">The host path; it must exist.</param>
/// <param name="SandboxPath">Where it appears in the sandbox.</param>
/// <param name="ReadOnly">Whether the sandbox may only read it.</param>
public sealed record SandboxMount(string HostPath, string SandboxPath, bool ReadOnly);
