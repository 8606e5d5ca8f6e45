using System.CommandLine;

namespace Lucid.Cli.Commands.Memory;

/// <summary>The arguments and options several memory verbs take, described once.</summary>
internal static class MemoryArguments
{
    public static Argument<string> Store() => new("store") { Description = "The store: its ID (memstore_…) or its name." };

    public static Argument<string> Path(string name) => new(name) { Description = "A memory path, such as /playbooks/deploy.md." };

    public static Argument<string> Version(string name) => new(name) { Description = "A version ID (memver_…); see lucid memory log." };

    public static Option<string?> IfSha() => new("--if-sha") { Description = "Apply only while the memory's content_sha256 is still this (see lucid memory ls -l)." };
}
