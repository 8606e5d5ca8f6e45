using System.Text.Json.Serialization;

namespace Lucid.Agents;

/// <summary>How hard the model works on each inference call (the API's <c>model.effort</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelEffort>))]
public enum ModelEffort
{
    /// <summary>Low effort: faster and cheaper.</summary>
    [JsonStringEnumMemberName("low")]
    Low,

    /// <summary>Medium effort.</summary>
    [JsonStringEnumMemberName("medium")]
    Medium,

    /// <summary>High effort: favours reasoning depth.</summary>
    [JsonStringEnumMemberName("high")]
    High,

    /// <summary>Extra high effort.</summary>
    [JsonStringEnumMemberName("xhigh")]
    Xhigh,

    /// <summary>The most effort the model can give.</summary>
    [JsonStringEnumMemberName("max")]
    Max,
}
