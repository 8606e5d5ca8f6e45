using Lucid.Results;
using Lucid.Secrets;

namespace Lucid.Dreams;

/// <summary>A dream cannot go on; <see cref="Type"/> becomes its <c>error.type</c>.</summary>
internal sealed class DreamFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DreamFailedException(string type, string message, Exception? innerException = null)
        : base(message, innerException) => Type = type;

    /// <summary>The error code, such as <c>invalid_model_output</c> or <c>memory_budget_exceeded</c>.</summary>
    public string Type { get; }

    /// <summary>The report as far as the failing stage got, when that is further than the last stage that ended; or null.</summary>
    public DreamReport? Report { get; init; }

    /// <summary>The dream's error, its message cleared of the secrets <paramref name="secrets"/> finds.</summary>
    public DreamError ToError(SecretScanner secrets) => new(Type, secrets.Redact(Message));

    /// <summary>Any exception as the failure it ends the dream with: an unexpected one is an <c>internal_error</c>.</summary>
    public static DreamFailedException From(Exception exception, DreamReport? report = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            DreamFailedException { Report: not null } failed => failed,
            DreamFailedException failed when report is null => failed,
            DreamFailedException failed => new DreamFailedException(failed.Type, failed.Message, failed.InnerException) { Report = report },
            _ => new DreamFailedException("internal_error", $"The dream stopped on an internal error: {exception.Message}", exception) { Report = report },
        };
    }

    /// <summary>The value of a successful result; else this failure, of <paramref name="type"/>, with the error's message after <paramref name="prefix"/>.</summary>
    public static T Unwrap<T>(Result<T> result, string type, string prefix = "") =>
        result.IsSuccess ? result.Value : throw new DreamFailedException(type, prefix + result.Error.Message);
}
