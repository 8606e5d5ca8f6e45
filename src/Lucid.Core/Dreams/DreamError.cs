namespace Lucid.Dreams;

/// <summary>Why a dream failed.</summary>
/// <param name="Type">A code such as <c>model_error</c>, <c>invalid_model_output</c>, <c>memory_budget_exceeded</c> or <c>interrupted</c>.</param>
/// <param name="Message">What happened, for a person.</param>
public sealed record DreamError(string Type, string Message);
