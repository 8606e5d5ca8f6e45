using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Lucid.Telemetry;

/// <summary>
/// Where the engine's OpenTelemetry signals come from: one <see cref="ActivitySource"/> and one <see cref="Meter"/>,
/// both named <see cref="Name"/>, following the OpenTelemetry semantic conventions for generative AI. A host subscribes
/// with <c>AddSource(LucidTelemetry.Name)</c> and <c>AddMeter(LucidTelemetry.Name)</c>; with no listener nothing is
/// recorded.
/// </summary>
public static class LucidTelemetry
{
    /// <summary>The name of Lucid's activity source and meter (the model pipeline's <c>chat</c> spans use it too).</summary>
    public const string Name = "Lucid";

    /// <summary>The source of <c>invoke_agent</c> and <c>execute_tool</c> spans.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>The meter of Lucid's own instruments (see <c>docs/observability.md</c>).</summary>
    public static Meter Meter { get; } = new(Name);
}
