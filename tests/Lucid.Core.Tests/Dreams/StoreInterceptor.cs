using System.Reflection;
using System.Runtime.ExceptionServices;
using Lucid.Storage;

namespace Lucid.Core.Tests.Dreams;

/// <summary>
/// A store that forwards every call to another one, except where <see cref="Intercept"/> answers first (a non-null
/// result) or <see cref="After"/> wants to act once a call's task has completed. For races and barriers, not timing.
/// </summary>
internal class StoreInterceptor : DispatchProxy
{
    private static readonly MethodInfo ThenMethod = typeof(StoreInterceptor).GetMethod(nameof(ThenAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private ILucidStore _inner = null!;

    public Func<string, object?>? Intercept { get; set; }

    public Action<string>? After { get; set; }

    public static (ILucidStore Store, StoreInterceptor Hooks) Over(ILucidStore inner)
    {
        var proxy = Create<ILucidStore, StoreInterceptor>();
        var hooks = (StoreInterceptor)(object)proxy;
        hooks._inner = inner;
        return (proxy, hooks);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (Intercept?.Invoke(targetMethod.Name) is { } answer)
        {
            return answer;
        }

        object? result;
        try
        {
            result = targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }

        if (After is null || result is not Task task || !targetMethod.ReturnType.IsGenericType)
        {
            return result;
        }

        return ThenMethod.MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [task, this, targetMethod.Name]);
    }

    private static async Task<T> ThenAsync<T>(Task<T> task, StoreInterceptor hooks, string name)
    {
        var result = await task;
        hooks.After?.Invoke(name);
        return result;
    }
}
