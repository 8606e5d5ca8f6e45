namespace Lucid.Importing;

/// <summary>Settings of the importer.</summary>
public sealed record ImportOptions
{
    /// <summary>The model string recorded on imported agents (the source's model, when known). Default <c>imported</c>.</summary>
    public string Model { get; init; } = "imported";

    /// <summary>The parent directory of imported sessions' (empty) work directories.</summary>
    public string WorkDirectoriesRoot { get; init; } = Path.Combine(Path.GetTempPath(), "lucid-work");
}
