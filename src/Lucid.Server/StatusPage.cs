using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Lucid.Server;

/// <summary>The page a browser sees at <c>/</c>: that the server runs, and how to reach it with the SDK.</summary>
internal static class StatusPage
{
    public static IResult Render(HttpContext http, TimeProvider time)
    {
        var baseUrl = WebUtility.HtmlEncode($"{http.Request.Scheme}://{http.Request.Host}");
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Lucid</title>
            <style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#222}
            code,pre{background:#f4f4f4;border-radius:4px;padding:.1rem .3rem}pre{padding:.8rem;overflow:auto}</style></head>
            <body>
            <h1>Lucid is running</h1>
            <p>This server speaks the Managed Agents API under <code>{{baseUrl}}/v1</code>. Every <code>/v1</code> call needs an API key
            (<code>x-api-key</code> or <code>Authorization: Bearer</code>); create one with <code>lucid keys create --workspace NAME</code>.</p>
            <p>Served: <code>/v1/agents</code>, <code>/v1/environments</code>, <code>/v1/sessions</code> (events, streams, threads),
            <code>/v1/memory_stores</code> (memories, versions), <code>/v1/dreams</code>, and the Lucid extension <code>/v1/lucid/imports</code>.</p>
            <p>Point the official Anthropic SDK at it:</p>
            <pre>var client = new AnthropicClient(new ClientOptions { ApiKey = "lucid_sk_…", BaseUrl = "{{baseUrl}}" });
            var agent = await client.Beta.Agents.Create(new() { Name = "helper", Model = "openai/gpt-4.1" });</pre>
            <p>Server time {{WebUtility.HtmlEncode(time.GetUtcNow().ToString("u", CultureInfo.InvariantCulture))}}.</p>
            </body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
