namespace Lucid.Importing;

/// <summary>One file of an import.</summary>
/// <param name="Name">The file's name as positions cite it (<c>abc.jsonl line 7</c>), relative to what was imported; empty for a lone upload, whose positions are just <c>line 7</c>.</param>
/// <param name="Content">The file's bytes.</param>
public sealed record ImportFile(string Name, Stream Content);
