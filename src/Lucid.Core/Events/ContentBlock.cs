using System.Text.Json.Serialization;

namespace Lucid.Events;

/// <summary>A block of message content.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "text")]
[JsonDerivedType(typeof(ImageBlock), "image")]
public abstract record ContentBlock;

/// <summary>A block of text.</summary>
/// <param name="Text">The text.</param>
public sealed record TextBlock(string Text) : ContentBlock;

/// <summary>An image, carried inline (an MCP tool's image result).</summary>
/// <param name="Source">The image's bytes and type.</param>
public sealed record ImageBlock(ImageSource Source) : ContentBlock;

/// <summary>An inline image: <c>{"type": "base64", "media_type", "data"}</c>.</summary>
/// <param name="MediaType">Such as <c>image/png</c>.</param>
/// <param name="Data">The image, base64-encoded.</param>
public sealed record ImageSource(string MediaType, string Data)
{
    /// <summary>The wire type: the only source Lucid produces.</summary>
    public string Type { get; init; } = "base64";
}
