using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Deployments;
using Lucid.Json;
using Lucid.Memory;
using Lucid.Resources;
using Lucid.Server.Http;
using Lucid.Server.Sessions;

namespace Lucid.Server.Deployments;

/// <summary>Deployments and their runs as the API's JSON.</summary>
internal static class DeploymentWire
{
    /// <summary>How many upcoming ticks a deployment lists.</summary>
    public const int UpcomingRuns = 5;

    public static JsonObject ToJson(Deployment deployment, DateTimeOffset now) => new()
    {
        ["type"] = "deployment",
        ["id"] = deployment.Id,
        ["name"] = deployment.Name,
        ["description"] = deployment.Description,
        ["agent"] = Agent(deployment.AgentId, deployment.AgentVersion),
        ["environment_id"] = deployment.EnvironmentId,
        ["initial_events"] = new JsonArray([.. deployment.InitialEvents.Select(e => JsonSerializer.SerializeToNode(e, LucidJsonContext.Default.SessionEvent))]),
        ["resources"] = Resources(deployment),
        ["vault_ids"] = new JsonArray([.. deployment.VaultIds.Select(v => JsonValue.Create(v))]),
        ["metadata"] = Wire.Map(deployment.Metadata),
        ["schedule"] = Schedule(deployment, now),
        ["budget"] = Wire.Budget(deployment.Budget),
        ["status"] = deployment.PausedAt is null ? "active" : "paused",
        ["paused_reason"] = deployment.PausedAt is null ? null : new JsonObject { ["type"] = "manual" },
        ["created_at"] = Wire.Time(deployment.CreatedAt),
        ["updated_at"] = Wire.Time(deployment.UpdatedAt),
        ["archived_at"] = Wire.Time(deployment.ArchivedAt),
    };

    public static JsonObject ToJson(DeploymentRun run) => new()
    {
        ["type"] = "deployment_run",
        ["id"] = run.Id,
        ["deployment_id"] = run.DeploymentId,
        ["agent"] = Agent(run.AgentId, run.AgentVersion),
        ["trigger_context"] = run.ScheduledAt is { } tick
            ? new JsonObject { ["type"] = "schedule", ["scheduled_at"] = Wire.Time(tick) }
            : new JsonObject { ["type"] = "manual" },
        ["session_id"] = run.SessionId,
        ["error"] = run.Error is { } error ? new JsonObject { ["type"] = error.Type, ["message"] = error.Message } : null,
        ["created_at"] = Wire.Time(run.CreatedAt),
    };

    // Memory stores, then files, then repositories, each with the mount path its sessions get; never a token.
    private static JsonArray Resources(Deployment deployment) =>
    [
        .. deployment.Resources.Select(r => (JsonNode)new JsonObject
        {
            ["type"] = "memory_store",
            ["memory_store_id"] = r.MemoryStoreId,
            ["access"] = r.Access == MemoryAccess.ReadOnly ? "read_only" : "read_write",
            ["instructions"] = r.Instructions,
        }),
        .. deployment.Files.Select(f => (JsonNode)new JsonObject
        {
            ["type"] = "file",
            ["file_id"] = f.FileId,
            ["mount_path"] = f.MountPath ?? $"{MountPaths.Uploads}/{f.FileId}",
        }),
        .. deployment.Repositories.Select(r => (JsonNode)new JsonObject
        {
            ["type"] = "github_repository",
            ["url"] = r.Url,
            ["mount_path"] = r.MountPath ?? MountPaths.DefaultForRepository(r.Url),
            ["checkout"] = SessionResourceWire.Checkout(r.Checkout),
        }),
    ];

    private static JsonObject Agent(string id, int version) => new() { ["type"] = "agent", ["id"] = id, ["version"] = version };

    private static JsonObject? Schedule(Deployment deployment, DateTimeOffset now)
    {
        if (deployment.Schedule is not { } schedule)
        {
            return null;
        }

        // Archived deployments list no upcoming ticks; paused ones list what would run once unpaused.
        var upcoming = deployment.ArchivedAt is null && CronSchedule.Parse(schedule.Expression, schedule.Timezone) is { IsSuccess: true } cron
            ? cron.Value!.Next(now, UpcomingRuns)
            : [];
        return new JsonObject
        {
            ["type"] = "cron",
            ["expression"] = schedule.Expression,
            ["timezone"] = schedule.Timezone,
            ["last_run_at"] = Wire.Time(schedule.LastRunAt),
            ["upcoming_runs_at"] = new JsonArray([.. upcoming.Select(t => Wire.Time(t))]),
        };
    }
}
