namespace Lucid.Vaults;

/// <summary>How a refresh tried during a validation went, and the token endpoint's answer when it refused.</summary>
public sealed record RefreshAttempt(RefreshOutcome Outcome, CapturedResponse? Response);
