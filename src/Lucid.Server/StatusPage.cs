using System.Globalization;
using System.Net;
using Lucid.Sandboxing;
using Lucid.Server.Cluster;
using Lucid.Sessions;
using Lucid.Tools;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server;

/// <summary>The page a browser sees at <c>/</c>: that the server runs, and how to reach it with the SDK.</summary>
internal static class StatusPage
{
    public static async Task<IResult> RenderAsync(HttpContext http, TimeProvider time, SessionEngine engine, IClusterNodes cluster)
    {
        var nodes = await cluster.ListAsync(http.RequestAborted);
        var baseUrl = WebUtility.HtmlEncode($"{http.Request.Scheme}://{http.Request.Host}");
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Lucid</title>
            <style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}
            code,pre{background:#f4f4f4;border-radius:4px;padding:.1rem .3rem}pre{padding:.8rem;overflow:auto}</style></head>
            <body>
            <h1>Lucid is running</h1>
            <p><a href="/console">Open the web console</a> (sign in with an API key) to see sessions, outcomes, memory stores and dreams.</p>
            <p>This server speaks the Managed Agents API under <code>{{baseUrl}}/v1</code>. Every <code>/v1</code> call needs an API key
            (<code>x-api-key</code> or <code>Authorization: Bearer</code>); create one with <code>lucid keys create --workspace NAME</code>.</p>
            <p>Served: <code>/v1/agents</code>, <code>/v1/environments</code>, <code>/v1/sessions</code> (events, streams, threads),
            <code>/v1/memory_stores</code> (memories, versions), <code>/v1/dreams</code>, and the Lucid extension <code>/v1/lucid/imports</code>.</p>
            <p>Point the official Anthropic SDK at it:</p>
            <pre>var client = new AnthropicClient(new ClientOptions { ApiKey = "lucid_sk_…", BaseUrl = "{{baseUrl}}" });
            var agent = await client.Beta.Agents.Create(new() { Name = "helper", Model = "openai/gpt-4.1" });</pre>
            {{Sandbox(engine.Options.Sandbox, engine.Options.ToolLimits)}}
            {{Nodes(cluster.ClusterId, nodes)}}
            <p>Server time {{WebUtility.HtmlEncode(time.GetUtcNow().ToString("u", CultureInfo.InvariantCulture))}}.</p>
            </body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    // The nodes serving this database (GET /v1/lucid/cluster has the same).
    private static string Nodes(string? clusterId, IReadOnlyList<ClusterNode> nodes)
    {
        var heading = clusterId is null
            ? "<p><strong>Nodes: this one</strong> (SQLite: one server per data directory).</p>"
            : $"<p><strong>Cluster {WebUtility.HtmlEncode(clusterId)}: {nodes.Count(n => n.Status == ClusterNodeStatus.Active)} active node(s)</strong> on this PostgreSQL database.</p>";
        var rows = string.Concat(nodes.Select(node => string.Create(
            CultureInfo.InvariantCulture,
            $"<tr><td>{WebUtility.HtmlEncode(node.Name)}{(node.Self ? " (this node)" : "")}</td><td><code>{WebUtility.HtmlEncode(node.Address)}</code></td><td>{ClusterWire.Status(node.Status)}</td><td>{node.StartedAt:u}</td><td>{node.SessionsOwned}</td></tr>")));
        return $"{heading}<table><tr><th>Node</th><th>Address</th><th>Status</th><th>Started</th><th>Sessions owned</th></tr>{rows}</table>";
    }

    // Which mode the processes sessions start run in, and their limits.
    private static string Sandbox(SandboxOptions sandbox, ToolLimits tools) =>
        sandbox.Isolation switch
        {
            ProcessIsolation.Unsandboxed =>
                "<p><strong>Sandbox: off (--unsafe-no-sandbox).</strong> <code>bash</code> and outcome command checks run directly on this machine as the server's user, with its environment (provider keys included), its files and its network.</p>",
            ProcessIsolation.Refused =>
                $"<p><strong>Sandbox: unavailable, commands refused</strong> ({WebUtility.HtmlEncode(sandbox.RefusalReason ?? "no sandbox is available")}). <code>bash</code> and outcome command checks are refused; install bubblewrap, or start with <code>--unsafe-no-sandbox</code>.</p>",
            _ => Sandboxed(sandbox, tools),
        };

    private static string Sandboxed(SandboxOptions sandbox, ToolLimits tools)
    {
        var limits = sandbox.Limits;
        var network = sandbox.Network == NetworkAccess.None ? "none" : "unrestricted";
        var root = Environment.IsPrivilegedProcess ? " <strong>The server runs as root, so the kernel does not apply the process limit.</strong>" : "";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"<p><strong>Sandbox: on</strong> (bubblewrap). Each command of <code>bash</code> and of outcome checks runs in its session's sandbox: its directory at <code>/workspace</code>, network {network}, at most {tools.MaxTimeout.TotalSeconds:0} s, {limits.CpuSeconds} CPU s and {limits.MemoryBytes >> 20} MiB per process, {limits.Processes} processes, files up to {limits.FileSizeBytes >> 20} MiB, {limits.TmpBytes >> 20} MiB of <code>/tmp</code>.{root}</p>");
    }
}
