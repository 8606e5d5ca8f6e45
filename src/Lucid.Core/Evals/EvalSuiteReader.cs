using System.Text.Json;
using System.Text.RegularExpressions;
using Lucid.Agents;
using Lucid.Ids;
using Lucid.Outcomes;
using Lucid.Results;
using Lucid.Validation;

namespace Lucid.Evals;

/// <summary>
/// Reads a suite from its JSON shape (a suite file's YAML is converted to it first), naming the exact field of anything
/// wrong: <c>tasks[3].rubric</c>.
/// </summary>
public static partial class EvalSuiteReader
{
    /// <summary>The most tasks a suite may have.</summary>
    public const int MaxTasks = 1_000;

    /// <summary>The most arms a suite may have.</summary>
    public const int MaxArms = 8;

    /// <summary>The most trials per task per arm.</summary>
    public const int MaxTrials = 100;

    /// <summary>The most trials a run may have in all.</summary>
    public const int MaxTotalTrials = 20_000;

    /// <summary>The most trials that may run at once.</summary>
    public const int MaxConcurrency = 64;

    /// <summary>Reads a suite; every error names its field.</summary>
    public static Result<EvalSuite> Read(JsonElement json)
    {
        try
        {
            return ReadSuite(new Field(json, ""));
        }
        catch (InvalidFieldException invalid)
        {
            return LucidError.Invalid(invalid.Field, invalid.Message);
        }
    }

    private static EvalSuite ReadSuite(Field suite)
    {
        suite.MustBe(JsonValueKind.Object, "an object");
        var tasks = suite.Items("tasks", 1, MaxTasks).Select(ReadTask).ToList();
        Unique(tasks.Select(t => t.Id), "tasks", "id");
        var arms = suite.Items("arms", 1, MaxArms).Select(ReadArm).ToList();
        Unique(arms.Select(a => a.Name), "arms", "name");
        var trials = suite.Int("trials", 1, MaxTrials) ?? EvalSuite.DefaultTrials;
        if (tasks.Count * arms.Count * trials > MaxTotalTrials)
        {
            throw new InvalidFieldException("trials", $"{tasks.Count} tasks × {arms.Count} arms × {trials} trials is {tasks.Count * arms.Count * trials:N0} trials; a run may have at most {MaxTotalTrials:N0}.");
        }

        return new EvalSuite
        {
            Name = suite.String("name", 256) ?? "",
            Agent = ReadAgent(suite.Required("agent")),
            EnvironmentId = suite.Id("environment", IdPrefixes.Environment),
            Tasks = tasks,
            Arms = arms,
            Trials = trials,
            Concurrency = suite.Int("concurrency", 1, MaxConcurrency) ?? EvalSuite.DefaultConcurrency,
            MaxIterations = suite.Int("max_iterations", 1, Events.UserDefineOutcomeEvent.MostIterations) ?? 1,
            GraderModel = suite.String("grader_model", 256),
        };
    }

    private static EvalAgent ReadAgent(Field agent)
    {
        if (agent.Json.ValueKind == JsonValueKind.String)
        {
            return new EvalAgent(agent.AsId(IdPrefixes.Agent), null);
        }

        agent.MustBe(JsonValueKind.Object, "an agent ID (agent_…) or an inline agent {name, model, system}");
        var definition = new AgentDefinition
        {
            Name = agent.RequiredString("name", 256),
            Model = agent.RequiredString("model", 256),
            System = agent.String("system", 100_000),
            Tools = [new AgentToolset()],
        };
        return Rules.Name(definition.Name, agent.PathOf("name")) is { } error ? throw new InvalidFieldException(error.Field ?? agent.PathOf("name"), error.Message) : new EvalAgent(null, definition);
    }

    private static EvalTask ReadTask(Field task)
    {
        task.MustBe(JsonValueKind.Object, "an object");
        var id = task.RequiredString("id", 128);
        if (!TaskIdPattern().IsMatch(id))
        {
            throw new InvalidFieldException(task.PathOf("id"), $"A task ID is letters, digits, '.', '_' and '-'; got '{id}'.");
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (task.Optional("files") is { } filesField)
        {
            filesField.MustBe(JsonValueKind.Object, "an object of relative paths to file contents");
            foreach (var file in filesField.Json.EnumerateObject())
            {
                var path = $"{filesField.Path}.{file.Name}";
                if (file.Name.Length is 0 or > 1024 || Path.IsPathRooted(file.Name) || file.Name.Split('/', '\\').Any(p => p is "" or "." or ".."))
                {
                    throw new InvalidFieldException(path, $"A starting file's path is relative, inside the session's directory, without '.' or '..' parts; got '{file.Name}'.");
                }

                files[file.Name] = file.Value.ValueKind == JsonValueKind.String ? file.Value.GetString()! : throw new InvalidFieldException(path, $"{path} must be the file's text.");
            }
        }

        return new EvalTask
        {
            Id = id,
            Prompt = task.RequiredString("prompt", 100_000),
            Rubric = task.RequiredString("rubric", Rules.MaxRubricLength),
            Checks = [.. task.Items("checks", 0, 50).Select(ReadCheck)],
            Files = files,
        };
    }

    private static OutcomeCheck ReadCheck(Field check)
    {
        check.MustBe(JsonValueKind.Object, "an object");
        var type = check.RequiredString("type", 32);
        return type switch
        {
            "command" => new CommandCheck(check.RequiredString("command", 10_000), check.Int("timeout_ms", 1, 600_000)),
            "file_exists" => new FileExistsCheck(check.RequiredString("path", 1024)),
            "pattern" => new PatternCheck(check.RequiredString("path", 1024), check.RequiredString("pattern", 10_000), check.Bool("must_match") ?? true),
            _ => throw new InvalidFieldException(check.PathOf("type"), $"Check type '{type}' is not supported; use command, file_exists or pattern."),
        };
    }

    private static EvalArm ReadArm(Field arm)
    {
        arm.MustBe(JsonValueKind.Object, "an object");
        var name = arm.RequiredString("name", 64);
        var store = arm.Id("memory_store", IdPrefixes.MemoryStore);
        var version = arm.Id("version", IdPrefixes.MemoryVersion);
        var dream = arm.Id("dream", IdPrefixes.Dream);
        var review = arm.String("review", 16);
        if (store is not null && dream is not null)
        {
            throw new InvalidFieldException(arm.PathOf("dream"), "An arm mounts one memory: a memory_store (optionally at a version) or a dream's output, not both.");
        }

        if (version is not null && store is null)
        {
            throw new InvalidFieldException(arm.PathOf("version"), "version needs the memory_store it is a version of.");
        }

        if (review is not null && (dream is null || review is not ("proposed" or "accepted")))
        {
            throw new InvalidFieldException(arm.PathOf("review"), dream is null ? "review applies to a dream arm only." : $"review must be proposed (before review) or accepted (after), not '{review}'.");
        }

        var kind = dream is not null ? (review == "proposed" ? EvalArmKind.DreamProposed : EvalArmKind.Dream)
            : version is not null ? EvalArmKind.MemoryVersion
            : store is not null ? EvalArmKind.MemoryStore
            : EvalArmKind.None;
        return new EvalArm { Name = name, Kind = kind, MemoryStoreId = store, MemoryVersionId = version, DreamId = dream };
    }

    private static void Unique(IEnumerable<string> values, string list, string field)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var value in values)
        {
            if (!seen.Add(value))
            {
                throw new InvalidFieldException($"{list}[{index}].{field}", $"{field} '{value}' is used twice in {list}.");
            }

            index++;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex TaskIdPattern();

    private sealed class InvalidFieldException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }

    // A JSON value and the path that names it in errors.
    private readonly record struct Field(JsonElement Json, string Path)
    {
        public string PathOf(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

        public void MustBe(JsonValueKind kind, string what)
        {
            if (Json.ValueKind != kind)
            {
                throw new InvalidFieldException(Path.Length == 0 ? "suite" : Path, $"{(Path.Length == 0 ? "The suite" : Path)} must be {what}.");
            }
        }

        public Field? Optional(string name) =>
            Json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? new Field(value, PathOf(name)) : null;

        public Field Required(string name) => Optional(name) ?? throw new InvalidFieldException(PathOf(name), $"{PathOf(name)} is required.");

        public string? String(string name, int maxLength) => Optional(name)?.AsString(maxLength);

        public string RequiredString(string name, int maxLength) => Required(name).AsString(maxLength);

        public string? Id(string name, string prefix) => Optional(name)?.AsId(prefix);

        public string AsString(int maxLength)
        {
            var text = Json.ValueKind == JsonValueKind.String ? Json.GetString()! : throw new InvalidFieldException(Path, $"{Path} must be a string.");
            return text.Length == 0 ? throw new InvalidFieldException(Path, $"{Path} must not be empty.")
                : text.Length > maxLength ? throw new InvalidFieldException(Path, $"{Path} must be at most {maxLength:N0} characters; got {text.Length:N0}.")
                : text;
        }

        public string AsId(string prefix)
        {
            var id = AsString(128);
            return IdPrefixes.Has(id, prefix) ? id : throw new InvalidFieldException(Path, $"'{id}' is not an ID of the right kind ({prefix}_…).");
        }

        public int? Int(string name, int min, int max)
        {
            if (Optional(name) is not { } field)
            {
                return null;
            }

            return field.Json.ValueKind == JsonValueKind.Number && field.Json.TryGetInt32(out var value) && value >= min && value <= max
                ? value
                : throw new InvalidFieldException(field.Path, $"{field.Path} must be a whole number from {min} to {max}.");
        }

        public bool? Bool(string name) => Optional(name) is not { } field ? null
            : field.Json.ValueKind is JsonValueKind.True or JsonValueKind.False ? field.Json.GetBoolean()
            : throw new InvalidFieldException(field.Path, $"{field.Path} must be true or false.");

        public List<Field> Items(string name, int min, int max)
        {
            var items = new List<Field>();
            if (Optional(name) is { } list)
            {
                list.MustBe(JsonValueKind.Array, "a list");
                var index = 0;
                foreach (var item in list.Json.EnumerateArray())
                {
                    items.Add(new Field(item, $"{list.Path}[{index++}]"));
                }
            }

            return items.Count < min ? throw new InvalidFieldException(PathOf(name), $"{PathOf(name)} needs at least {min} item{(min == 1 ? "" : "s")}.")
                : items.Count > max ? throw new InvalidFieldException(PathOf(name), $"{PathOf(name)} may have at most {max:N0} items; got {items.Count:N0}.")
                : items;
        }
    }
}
