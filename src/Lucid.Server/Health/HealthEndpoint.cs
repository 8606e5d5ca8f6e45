using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lucid.Server.Health;

/// <summary>
/// <c>GET /health</c>, for load balancers: 200 while this node can serve (its store answers and, in a cluster, it is an
/// active member), else 503; the body names each check's state. No API key: it tells nothing about any workspace.
/// </summary>
internal static class HealthEndpoint
{
    public const string StoreCheck = "store";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var checks = new JsonObject();
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new JsonObject { ["status"] = Status(entry.Status), ["description"] = entry.Description };
        }

        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(new JsonObject { ["status"] = Status(report.Status), ["checks"] = checks }.ToJsonString());
    }

    private static string Status(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
