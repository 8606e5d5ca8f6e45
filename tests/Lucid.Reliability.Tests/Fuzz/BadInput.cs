using System.Text;
using System.Text.Json.Nodes;

namespace Lucid.Reliability.Tests.Fuzz;

/// <summary>Values that are wrong wherever they are sent: bad IDs, bad query values, bad field values, and bad bodies.</summary>
internal static class BadInput
{
    /// <summary>How deep the balanced nesting goes: far past the 64 levels any reader accepts.</summary>
    public const int Depth = 10_000;

    /// <summary>An ID that is malformed for <paramref name="prefix"/>: no suffix, too long, the wrong prefix, or garbage.</summary>
    public static string Id(string prefix, Random random) => random.Next(5) switch
    {
        0 => prefix + "_",
        1 => prefix + "_" + new string('z', 500),
        2 => "%C3%28",
        3 => (prefix == "agent" ? "sesn" : "agent") + "_wrongprefix",
        _ => "x" + random.Next(),
    };

    /// <summary>A well-formed ID that names nothing.</summary>
    public static string UnknownId(string prefix, Random random) => $"{prefix}_missing{random.Next()}";

    /// <summary>An import format that does not exist.</summary>
    public static string Format(Random random) => random.Next(4) switch
    {
        0 => "csv",
        1 => "tau_bench",
        2 => "OPENAI-CHAT",
        _ => "..%2F..%2Fetc",
    };

    /// <summary>A bad value of a query parameter, as a query string; or, for <c>Last-Event-ID</c>, the header's value.</summary>
    public static string Query(string name, Random random)
    {
        string[] values = name switch
        {
            "limit" => ["-5", "0", "1001", "99999999999", "maybe", "1.5"],
            "page" => ["not-a-cursor", "-5", "%%%", "AAAA", new string('q', 2000)],
            "include_archived" => ["maybe", "1", "TRUE"],
            "version" or "agent_version" => ["-1", "0", "x", "99999999999"],
            "order" => ["up", "ASC"],
            "statuses[]" => ["sleeping", "IDLE"],
            "types[]" => ["agent.teleport", "user.message "],
            "agent_id" => ["env_x", "x", "agent_"],
            "memory_store_id" => ["sesn_x", "memstore_"],
            "scope_id" => ["agent_x", "sesn_"],
            "memory_id" => ["memver_x", "x"],
            "view" => ["everything", "FULL"],
            "path_prefix" => ["notes/", "/notes", "//", "/a/../"],
            "depth" => ["-1", "21", "x"],
            "operation" => ["renamed", "Created"],
            "has_error" => ["maybe", "1", "TRUE"],
            "after_id" or "before_id" => ["whep_doesnotexist", "x", "sesn_x"],
            "trigger_type" => ["cron", "MANUAL"],
            "status" => ["running", "ACTIVE"],
            "expected_content_sha256" => ["0000", "not-a-hash"],
            "after" or "Last-Event-ID" => ["-1", "abc", "1.5", "+3"],
            "source" => [new string('s', 257 + random.Next(100))],
            "actors" => ["session_id=sesn_x&api_key_id=key_x", "user_id=u&session_id=sesn_y"],
            _ when name.StartsWith("created_at[", StringComparison.Ordinal) => ["2026-13-45T99:99:99Z", "yesterday", "12"],
            _ => throw new InvalidOperationException($"No bad values for the query parameter '{name}'; add some."),
        };
        var value = values[random.Next(values.Length)];
        return name switch
        {
            "Last-Event-ID" or "actors" => value,
            _ => $"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}",
        };
    }

    /// <summary>A value that is wrong for <paramref name="field"/> on every route that reads it: the wrong type, over its limit, or an unknown kind.</summary>
    public static JsonNode? Field(string field, Random random)
    {
        JsonNode wrongType = random.Next(4) switch
        {
            0 => 42,
            1 => true,
            2 => new JsonArray(1, 2, 3),
            _ => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = "x" } },
        };
        if (random.Next(3) == 0)
        {
            return field is "metadata" or "tools" or "initial_events" or "events" or "resources" or "vault_ids" or "multiagent" or "inputs" or "precondition" or "output_behavior"
                ? "a string"
                : wrongType;
        }

        return field switch
        {
            "name" => new string('n', 257 + random.Next(1000)),
            "description" => new string('d', 2049 + random.Next(1000)),
            "system" => new string('s', 100_001),
            "title" => new string('t', 1025 + random.Next(100)),
            "model" => random.Next(2) == 0 ? " " : new JsonObject { ["id"] = "" },
            "version" => random.Next(2) == 0 ? -1 : 0,
            "agent" => random.Next(2) == 0 ? "env_wrongprefix" : new JsonObject { ["type"] = "agent", ["id"] = "agent_missing", ["version"] = -3 },
            "environment_id" => "sesn_wrongprefix",
            "metadata" => random.Next(3) switch
            {
                0 => new JsonObject([.. Enumerable.Range(0, 17 + random.Next(5)).Select(i => KeyValuePair.Create($"k{i}", (JsonNode?)"v"))]),
                1 => new JsonObject { [new string('k', 65)] = "v" },
                _ => new JsonObject { ["k"] = 7 },
            },
            "tools" => new JsonArray(random.Next(3) switch
            {
                0 => new JsonObject { ["type"] = "teleporter" },
                1 => new JsonObject { ["type"] = "custom", ["name"] = "bad name!", ["description"] = "d", ["input_schema"] = new JsonObject() },
                _ => new JsonObject { ["type"] = "agent_toolset_20260401", ["configs"] = new JsonArray(new JsonObject { ["name"] = "web_search" }) },
            }),
            "multiagent" => random.Next(3) switch
            {
                0 => new JsonObject { ["type"] = "multiagent_19990101" },
                1 => new JsonObject { ["type"] = "multiagent_20261001", ["subagents"] = new JsonObject { ["type"] = "maybe" } },
                _ => new JsonObject { ["type"] = "multiagent_20261001", ["workflows"] = new JsonObject { ["type"] = "enabled" } },
            },
            "skills" => new JsonArray(random.Next(4) switch
            {
                0 => new JsonObject { ["type"] = "anthropic", ["skill_id"] = "xlsx" },
                1 => new JsonObject { ["type"] = "custom", ["skill_id"] = "skill_missing" },
                2 => new JsonObject { ["type"] = "custom", ["skill_id"] = "memstore_wrongprefix", ["version"] = "latest" },
                _ => new JsonObject { ["type"] = "plugin", ["skill_id"] = "x" },
            }),
            "initial_events" or "events" => random.Next(4) switch
            {
                0 => new JsonArray([.. Enumerable.Range(0, 1001).Select(i => (JsonNode)new JsonObject { ["type"] = "user.interrupt" })]),
                1 => new JsonArray(new JsonObject { ["type"] = "agent.message", ["content"] = new JsonArray() }),
                2 => new JsonArray(new JsonObject { ["type"] = "user.define_outcome", ["description"] = "x", ["rubric"] = new JsonObject { ["type"] = "file", ["file_id"] = "f" } }),
                _ => new JsonArray(new JsonObject { ["type"] = "user.message", ["content"] = new JsonArray(new JsonObject { ["type"] = "image" }) }),
            },
            "resources" => new JsonArray(random.Next(4) switch
            {
                0 => new JsonObject { ["type"] = "memory_store", ["memory_store_id"] = "memstore_missing" },
                1 => new JsonObject { ["type"] = "file", ["file_id"] = "file_missing" },
                2 => new JsonObject { ["type"] = "file", ["file_id"] = "file_missing", ["mount_path"] = "/etc/passwd" },
                _ => new JsonObject { ["type"] = "github_repository", ["url"] = "https://example.com/r", ["checkout"] = new JsonObject { ["type"] = "tag", ["name"] = "v1" } },
            }),
            "type" => random.Next(2) == 0 ? "memory_store" : "github_repository",
            "file_id" => random.Next(2) == 0 ? "memstore_wrongprefix" : "file_missing",
            "mount_path" => random.Next(3) switch
            {
                0 => "relative/path",
                1 => "/etc/passwd",
                _ => "/mnt/memory/notes",
            },
            "authorization_token" => random.Next(2) == 0 ? "" : new string('t', 4097 + random.Next(100)),
            "vault_ids" => new JsonArray("vlt_1"),
            "path" => random.Next(4) switch
            {
                0 => "relative.md",
                1 => "/a/../b.md",
                2 => "/a//b.md",
                _ => "/",
            },
            "content" => new string('c', 100_001),
            "precondition" => random.Next(2) == 0
                ? new JsonObject { ["type"] = "etag", ["etag"] = "x" }
                : new JsonObject { ["type"] = "content_sha256", ["content_sha256"] = new string('0', 64) },
            "inputs" => random.Next(3) switch
            {
                0 => new JsonArray(),
                1 => new JsonArray(new JsonObject { ["type"] = "sessions", ["session_ids"] = new JsonArray("sesn_x") }),
                _ => new JsonArray(new JsonObject { ["type"] = "memory_store", ["memory_store_id"] = "memstore_missing" }, new JsonObject { ["type"] = "sessions", ["session_ids"] = new JsonArray() }),
            },
            "instructions" => new string('i', 4097 + random.Next(100)),
            "display_name" => random.Next(2) == 0 ? " " : new string('n', 256 + random.Next(100)),
            "auth" => random.Next(3) switch
            {
                0 => new JsonObject { ["type"] = "password" },
                1 => new JsonObject { ["type"] = "static_bearer", ["token"] = 42 },
                _ => new JsonObject { ["type"] = "environment_variable", ["secret_name"] = "PATH", ["secret_value"] = "v", ["networking"] = new JsonObject { ["type"] = "unrestricted" } },
            },
            "output_behavior" => random.Next(2) == 0 ? new JsonObject { ["type"] = "teleport" } : new JsonObject { ["type"] = "update_existing" },
            _ => wrongType,
        };
    }

    /// <summary>Random bytes that start like a JSON object.</summary>
    public static byte[] Garbage(Random random)
    {
        var bytes = new byte[1 + random.Next(300)];
        random.NextBytes(bytes);
        bytes[0] = (byte)'{';
        return bytes;
    }

    /// <summary>Opened far deeper than it is closed.</summary>
    public static string Unbalanced(Random random) => new string('[', 70 + random.Next(500)) + new string(']', 70);

    /// <summary><see cref="Depth"/> arrays, each inside the one before, all closed.</summary>
    public static string DeepArrays() => new string('[', Depth) + new string(']', Depth);

    /// <summary><see cref="Depth"/> objects, each the only field of the one before, all closed.</summary>
    public static string DeepObjects()
    {
        var text = new StringBuilder(Depth * 6);
        for (var i = 0; i < Depth; i++)
        {
            text.Append("{\"a\":");
        }

        return text.Append("null").Append('}', Depth).ToString();
    }

    /// <summary>JSON that is not an object.</summary>
    public static string NotAnObject(Random random) => random.Next(6) switch
    {
        0 => "[]",
        1 => "42",
        2 => "\"text\"",
        3 => "null",
        4 => "true",
        _ => "[{\"name\":\"a\"}]",
    };

    /// <summary>A transcript file with no record in it.</summary>
    public static string NoRecords(Random random) => random.Next(3) switch
    {
        0 => "",
        1 => "\n\n",
        _ => "   \n\t\n",
    };

    /// <summary>A transcript file none of whose records is a transcript.</summary>
    public static string MalformedRecords(Random random) => random.Next(6) switch
    {
        0 => "{bad\n",
        1 => "[1,2\n{\"x\":",
        2 => "{\"x\":1}",
        3 => "[1,2,3]",
        4 => "null",
        _ => "\"just text\"\n42\n",
    };

    /// <summary>A transcript file that would import: what makes a request carrying it bad is elsewhere.</summary>
    public static string Transcript(Random random) => $"[{{\"role\":\"user\",\"content\":\"fuzz {random.Next()}\"}}]";
}
