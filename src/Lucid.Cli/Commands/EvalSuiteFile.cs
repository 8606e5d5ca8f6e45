using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Results;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lucid.Cli.Commands;

/// <summary>
/// Reads a suite file as the JSON the suite reader takes: <c>.json</c> as it is; YAML converted node by node, a plain
/// (unquoted) scalar typed as YAML's core schema types it — <c>null</c>/<c>~</c>, <c>true</c>/<c>false</c>, numbers —
/// and every other scalar a string.
/// </summary>
internal static class EvalSuiteFile
{
    public static Result<JsonElement> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return LucidError.Invalid("suite", $"The suite file {path} cannot be read: {ex.Message}");
        }

        try
        {
            if (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }

            var yaml = new YamlStream();
            yaml.Load(new StringReader(text));
            if (yaml.Documents.Count == 0)
            {
                return LucidError.Invalid("suite", $"The suite file {path} is empty.");
            }

            return JsonSerializer.SerializeToElement(ToJson(yaml.Documents[0].RootNode), Json.LucidJsonContext.Default.JsonNode);
        }
        catch (Exception ex) when (ex is JsonException or YamlException)
        {
            return LucidError.Invalid("suite", $"The suite file {path} is not valid {(ex is JsonException ? "JSON" : "YAML")}: {ex.Message}");
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(p => KeyValuePair.Create(Key(p.Key), ToJson(p.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new YamlException(node.Start, node.End, "Aliases are not supported in suite files."),
    };

    private static string Key(YamlNode key) =>
        key is YamlScalarNode { Value: { } name } ? name : throw new YamlException(key.Start, key.End, "A mapping key must be a plain string.");

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return value;
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => whole,
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            _ => value,
        };
    }
}
