using System.Text.Json;
using Lucid.Sandboxing;
using Lucid.Tools;

namespace Lucid.Core.Tests.Sandboxing;

/// <summary>
/// A server's layout on disk, in a temporary directory: a data directory with a database file, and two sessions' work
/// directories. Tools run as the first session, in its sandbox.
/// </summary>
internal sealed class SandboxScene : IDisposable
{
    public const string Secret = "top secret of another tenant";

    public SandboxScene()
    {
        Parent = Directory.CreateTempSubdirectory("lucid-sandbox-").FullName;
        DataDirectory = Path.Combine(Parent, "home");
        Root = Path.Combine(DataDirectory, "workspaces", "sesn_mine");
        OtherSession = Path.Combine(DataDirectory, "workspaces", "sesn_theirs");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(OtherSession);
        File.WriteAllText(Path.Combine(DataDirectory, "lucid.db"), Secret);
        File.WriteAllText(Path.Combine(OtherSession, "notes.txt"), Secret);
    }

    public string Parent { get; }

    /// <summary>Stands for <c>$LUCID_HOME</c>.</summary>
    public string DataDirectory { get; }

    /// <summary>The work directory of the session the tools run as.</summary>
    public string Root { get; }

    public string OtherSession { get; }

    public ToolContext Context(SandboxOptions? sandbox = null, ToolLimits? limits = null) => new()
    {
        Directory = new WorkDirectory(Root),
        Sandbox = sandbox ?? new SandboxOptions(),
        Limits = limits ?? new ToolLimits { DefaultTimeout = TimeSpan.FromSeconds(30) },
    };

    public Task<ToolResult> RunAsync(string tool, object input, ToolContext? context = null, CancellationToken cancellationToken = default) =>
        (BuiltInTools.Find(tool) ?? throw new ArgumentException(tool)).InvokeAsync(JsonSerializer.SerializeToElement(input), context ?? Context(), cancellationToken);

    public Task<ToolResult> BashAsync(string command, SandboxOptions? sandbox = null) => RunAsync("bash", new { command }, Context(sandbox));

    public void Dispose() => Directory.Delete(Parent, recursive: true);
}
