namespace Lucid.Server.Telemetry;

/// <summary>
/// Which of the engine's signals <c>lucid serve</c> exports over OTLP, decided by the standard OpenTelemetry variables:
/// traces when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> is set, metrics when it
/// or <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c> is; nothing when none is, or when <c>OTEL_SDK_DISABLED</c> is true.
/// The exporter reads the rest (protocol, headers, timeouts, resource attributes) from the same variables.
/// </summary>
public sealed record TelemetryExport
{
    /// <summary>The variable that asks for message content on spans (off unless <c>true</c>).</summary>
    public const string CaptureContentVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    /// <summary>Whether spans are exported.</summary>
    public bool Traces { get; init; }

    /// <summary>Whether metrics are exported.</summary>
    public bool Metrics { get; init; }

    /// <summary>The <c>service.name</c> of the exported resource: <c>OTEL_SERVICE_NAME</c>, or <c>lucid</c>.</summary>
    public string ServiceName { get; init; } = "lucid";

    /// <summary>What the variables ask to export, or null when they ask for nothing.</summary>
    public static TelemetryExport? FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        bool Set(string name) => !string.IsNullOrWhiteSpace(environment.GetValueOrDefault(name));
        if (IsTrue(environment.GetValueOrDefault("OTEL_SDK_DISABLED")))
        {
            return null;
        }

        var traces = Set("OTEL_EXPORTER_OTLP_ENDPOINT") || Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        var metrics = Set("OTEL_EXPORTER_OTLP_ENDPOINT") || Set("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
        return traces || metrics
            ? new TelemetryExport { Traces = traces, Metrics = metrics, ServiceName = Set("OTEL_SERVICE_NAME") ? environment["OTEL_SERVICE_NAME"]! : "lucid" }
            : null;
    }

    /// <summary>Whether the variables opt in to message content on spans (<see cref="CaptureContentVariable"/>).</summary>
    public static bool CapturesContent(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return IsTrue(environment.GetValueOrDefault(CaptureContentVariable));
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
