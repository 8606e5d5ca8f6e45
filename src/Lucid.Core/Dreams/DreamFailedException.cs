namespace Lucid.Dreams;

/// <summary>A dream cannot go on; <see cref="Type"/> becomes its <c>error.type</c>.</summary>
public sealed class DreamFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DreamFailedException(string type, string message, Exception? innerException = null)
        : base(message, innerException) => Type = type;

    /// <summary>The error code, such as <c>invalid_model_output</c> or <c>memory_budget_exceeded</c>.</summary>
    public string Type { get; }
}
