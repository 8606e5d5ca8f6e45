using System.Diagnostics.CodeAnalysis;

namespace Lucid.Results;

/// <summary>The outcome of an operation that can fail in an expected way: a value or an <see cref="LucidError"/>.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, LucidError? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>The value when <see cref="IsSuccess"/>.</summary>
    public T? Value { get; }

    /// <summary>The error when not <see cref="IsSuccess"/>.</summary>
    public LucidError? Error { get; }

    /// <summary>Whether the operation succeeded.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    [MemberNotNullWhen(true, nameof(Value))]
    public bool IsSuccess => Error is null;

    /// <summary>A successful result.</summary>
    public static Result<T> Ok(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    public static Result<T> Fail(LucidError error) => new(default, error);

    /// <summary>Wraps a value.</summary>
    public static implicit operator Result<T>(T value) => Ok(value);

    /// <summary>Wraps an error.</summary>
    public static implicit operator Result<T>(LucidError error) => Fail(error);
}
