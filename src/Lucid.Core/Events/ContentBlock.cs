using System.Text.Json.Serialization;

namespace Lucid.Events;

/// <summary>A block of message content.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "text")]
public abstract record ContentBlock;

/// <summary>A block of text.</summary>
/// <param name="Text">The text.</param>
public sealed record TextBlock(string Text) : ContentBlock;
