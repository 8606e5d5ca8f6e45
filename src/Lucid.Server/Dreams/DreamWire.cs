using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Dreams;
using Lucid.Server.Http;

namespace Lucid.Server.Dreams;

/// <summary>
/// The wire shape of a dream as the official SDK reads it (<c>Anthropic.Models.Beta.Dreams.BetaDream</c>), and its create
/// request; plus the Lucid extensions <c>review</c> and <c>validation</c>, in both.
/// </summary>
internal static class DreamWire
{
    public static JsonObject Dream(Dream dream)
    {
        var wire = Standard(dream);
        if (dream.Review is { } review)
        {
            // A Lucid extension the SDK keeps as an unknown property; status stays one of its values (running while waiting).
            wire["review"] = DreamReviewWire.Review(review);
        }

        if (dream.Validation is { } validation)
        {
            wire["validation"] = DreamValidationWire.Validation(validation);
        }

        return wire;
    }

    private static JsonObject Standard(Dream dream) => new()
    {
        ["type"] = "dream",
        ["id"] = dream.Id,
        ["status"] = dream.Status.ToWire(),
        ["inputs"] = new JsonArray(
            new JsonObject { ["type"] = "memory_store", ["memory_store_id"] = dream.InputStoreId },
            new JsonObject { ["type"] = "sessions", ["session_ids"] = new JsonArray([.. dream.SessionIds.Select(s => JsonValue.Create(s))]) }),
        ["outputs"] = dream.OutputStoreId is { } output
            ? new JsonArray(new JsonObject { ["type"] = "memory_store", ["memory_store_id"] = output })
            : new JsonArray(),
        ["model"] = new JsonObject { ["id"] = dream.Model, ["speed"] = "standard" },
        ["instructions"] = dream.Instructions,
        ["output_behavior"] = dream.OutputBehavior == DreamOutputBehavior.UpdateExisting
            ? new JsonObject { ["type"] = dream.OutputBehavior.ToWire(), ["memory_store_id"] = dream.InputStoreId }
            : new JsonObject { ["type"] = dream.OutputBehavior.ToWire() },
        ["session_id"] = dream.SessionId,
        ["usage"] = new JsonObject
        {
            ["input_tokens"] = dream.Usage.InputTokens,
            ["output_tokens"] = dream.Usage.OutputTokens,
            ["cache_creation_input_tokens"] = dream.Usage.CacheCreationInputTokens,
            ["cache_read_input_tokens"] = dream.Usage.CacheReadInputTokens,
        },
        ["error"] = dream.Error is { } error ? new JsonObject { ["type"] = error.Type, ["message"] = error.Message } : null,
        ["created_at"] = Wire.Time(dream.CreatedAt),
        ["ended_at"] = Wire.Time(dream.EndedAt),
        ["archived_at"] = Wire.Time(dream.ArchivedAt),
    };

    /// <summary>Reads a create request: exactly one <c>memory_store</c> and one <c>sessions</c> input, a model as a string or object, and the optional fields.</summary>
    public static DreamRequest Request(WireObject body)
    {
        string? storeId = null;
        IReadOnlyList<string>? sessions = null;
        var inputs = body.Array("inputs");
        if (inputs.Count == 0)
        {
            throw RequestException.Invalid("inputs", "inputs is required: one memory_store entry and one sessions entry.");
        }

        foreach (var (item, path) in inputs)
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw RequestException.Invalid(path, $"{path} must be an object.");
            }

            var input = new WireObject(item, path);
            switch (input.RequiredString("type"))
            {
                case "memory_store" when storeId is null:
                    storeId = input.RequiredString("memory_store_id");
                    break;
                case "sessions" when sessions is null:
                    sessions = [.. input.Array("session_ids").Select(s => s.Item.ValueKind == JsonValueKind.String
                        ? s.Item.GetString() ?? ""
                        : throw RequestException.Invalid(s.Path, $"{s.Path} must be a session ID string."))];
                    break;
                case "memory_store" or "sessions":
                    throw RequestException.Invalid(path, "inputs must have exactly one memory_store entry and exactly one sessions entry.");
                case var other:
                    throw RequestException.Invalid($"{path}.type", $"{path}.type must be memory_store or sessions, not '{other}'.");
            }
        }

        if (storeId is null || sessions is null)
        {
            throw RequestException.Invalid("inputs", "inputs must have exactly one memory_store entry and exactly one sessions entry.");
        }

        string model;
        if (body.TryGet("model", out var modelValue) && modelValue.ValueKind == JsonValueKind.Object)
        {
            var config = body.RequiredObject("model");
            model = config.RequiredString("id");
            if (config.String("speed") is { } speed && speed != "standard")
            {
                throw RequestException.Invalid("model.speed", $"model.speed must be standard; dreams accept only standard, not '{speed}'.");
            }
        }
        else
        {
            model = body.RequiredString("model");
        }

        var behavior = DreamOutputBehavior.CreateNew;
        string? updateStore = null;
        if (body.Object("output_behavior") is { } output)
        {
            var type = output.RequiredString("type");
            if (!DreamNames.TryParseOutputBehavior(type, out behavior))
            {
                throw RequestException.Invalid("output_behavior.type", $"output_behavior.type must be create_new or update_existing, not '{type}'.");
            }

            if (behavior == DreamOutputBehavior.UpdateExisting)
            {
                updateStore = output.RequiredString("memory_store_id");
            }
        }

        var review = body.String("review");
        if (review is not (null or "required" or "none"))
        {
            throw RequestException.Invalid("review", $"review must be required or none, not '{review}'.");
        }

        return new DreamRequest
        {
            MemoryStoreId = storeId,
            SessionIds = sessions,
            Model = model,
            Instructions = body.String("instructions"),
            OutputBehavior = behavior,
            UpdateStoreId = updateStore,
            ReviewRequired = review == "required",
            Validation = DreamValidationWire.Request(body),
        };
    }
}
