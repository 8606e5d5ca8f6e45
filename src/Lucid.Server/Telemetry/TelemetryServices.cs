using Lucid.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Lucid.Server.Telemetry;

/// <summary>Registers the OpenTelemetry SDK with an OTLP exporter for the engine's source and meter, and ASP.NET Core's.</summary>
internal static class TelemetryServices
{
    public static IServiceCollection AddLucidTelemetry(this IServiceCollection services, TelemetryExport export)
    {
        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(export.ServiceName));
        if (export.Traces)
        {
            otel.WithTracing(t => t.AddSource(LucidTelemetry.Name).AddAspNetCoreInstrumentation().AddOtlpExporter());
        }

        if (export.Metrics)
        {
            otel.WithMetrics(m => m.AddMeter(LucidTelemetry.Name).AddAspNetCoreInstrumentation().AddOtlpExporter());
        }

        return services;
    }
}
