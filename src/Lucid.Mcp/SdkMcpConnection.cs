using System.Text;
using System.Text.Json;
using Lucid.Events;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Lucid.Mcp.Client;

/// <summary>One SDK client session, mapped to Lucid's tools and content blocks.</summary>
internal sealed class SdkMcpConnection(McpClient client, IAsyncDisposable subscription) : IMcpConnection
{
    public async Task<IReadOnlyList<McpToolInfo>> ListToolsAsync(CancellationToken cancellationToken)
    {
        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        return [.. tools.Select(t => new McpToolInfo(t.ProtocolTool.Name, t.ProtocolTool.Description, t.ProtocolTool.InputSchema))];
    }

    public async Task<McpCallResult> CallToolAsync(string tool, JsonElement arguments, CancellationToken cancellationToken)
    {
        var args = arguments.ValueKind == JsonValueKind.Object
            ? arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : new Dictionary<string, object?>();
        try
        {
            var result = await client.CallToolAsync(tool, args, cancellationToken: cancellationToken);
            return new McpCallResult([.. result.Content.Select(Block)], result.IsError == true);
        }
        catch (McpProtocolException ex)
        {
            // The server refused the request itself (an unknown tool, invalid arguments): the connection is fine.
            throw new McpCallException(ex.Message, ex);
        }
    }

    // Text and images are kept; an embedded resource becomes its text, or a note of what it was; audio and links are named.
    private static Lucid.Events.ContentBlock Block(ModelContextProtocol.Protocol.ContentBlock block) => block switch
    {
        TextContentBlock text => new TextBlock(text.Text),
        ImageContentBlock image => new ImageBlock(new ImageSource(image.MimeType, Encoding.UTF8.GetString(image.Data.Span))),
        EmbeddedResourceBlock { Resource: TextResourceContents text } => new TextBlock(text.Text),
        EmbeddedResourceBlock { Resource: var resource } => new TextBlock($"[resource {resource.Uri} ({resource.MimeType ?? "binary"}), not shown]"),
        ResourceLinkBlock link => new TextBlock($"[resource link: {link.Name} {link.Uri}]"),
        _ => new TextBlock($"[{block.Type} content, not shown]"),
    };

    public async ValueTask DisposeAsync()
    {
        await subscription.DisposeAsync();
        await client.DisposeAsync();
    }
}
