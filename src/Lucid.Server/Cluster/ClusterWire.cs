using System.Text.Json.Nodes;
using Lucid.Server.Http;

namespace Lucid.Server.Cluster;

/// <summary>A <see cref="ClusterNode"/> on the wire.</summary>
internal static class ClusterWire
{
    public static JsonObject ToJson(ClusterNode node) => new()
    {
        ["name"] = node.Name,
        ["address"] = node.Address,
        ["status"] = Status(node.Status),
        ["started_at"] = Wire.Time(node.StartedAt),
        ["sessions_owned"] = node.SessionsOwned,
        ["self"] = node.Self,
    };

    public static string Status(ClusterNodeStatus status) => status switch
    {
        ClusterNodeStatus.Joining => "joining",
        ClusterNodeStatus.Active => "active",
        ClusterNodeStatus.ShuttingDown => "shutting_down",
        ClusterNodeStatus.Dead => "dead",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a node status."),
    };
}
