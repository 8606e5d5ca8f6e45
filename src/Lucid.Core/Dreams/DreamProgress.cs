namespace Lucid.Dreams;

/// <summary>A step of a running dream, for progress displays.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Message">What happened.</param>
public sealed record DreamProgress(DreamStage Stage, string Message);
