using System.Text;
using System.Text.Json.Nodes;

namespace Lucid.Reliability.Tests.Fuzz;

/// <summary>Makes the bad requests of each kind that fits a route, aimed at the resources of a <see cref="FuzzWorld"/>.</summary>
internal sealed class BadRequests(FuzzWorld world, long maxBodyBytes)
{
    /// <summary>The kinds of bad request that fit <paramref name="route"/>.</summary>
    public static IEnumerable<BadKind> KindsFor(FuzzRoute route)
    {
        if (route.Parameters.Count > 0)
        {
            yield return BadKind.PathId;
        }

        if (route.Parameters.Any(p => Prefix(p.Resource) is not null))
        {
            yield return BadKind.UnknownId;
        }

        yield return BadKind.WrongMethod;
        if (route.Query.Count > 0)
        {
            yield return BadKind.Query;
        }

        if (route.Body == FuzzBody.None)
        {
            yield break;
        }

        foreach (var kind in new[] { BadKind.Garbage, BadKind.Unbalanced, BadKind.DeepArrays, BadKind.DeepObjects, BadKind.Oversized })
        {
            yield return kind;
        }

        if (route.Body == FuzzBody.Json)
        {
            yield return BadKind.NotAnObject;
            yield return BadKind.Field;
        }
        else
        {
            yield return BadKind.NoRecords;
            yield return BadKind.MalformedRecords;
        }
    }

    /// <summary>A request of <paramref name="kind"/> for <paramref name="route"/>; <paramref name="round"/> picks which parameter, query or field it spoils, so every one is.</summary>
    public BadRequest Create(FuzzRoute route, BadKind kind, int round, Random random)
    {
        var method = new HttpMethod(route.Method);
        var path = Path(route, kind, round, random);
        string? lastEventId = null;
        byte[]? body = kind switch
        {
            BadKind.Garbage => BadInput.Garbage(random),
            BadKind.Unbalanced => Utf8(BadInput.Unbalanced(random)),
            BadKind.DeepArrays => Utf8(Nest(route, BadInput.DeepArrays(), round)),
            BadKind.DeepObjects => Utf8(Nest(route, BadInput.DeepObjects(), round)),
            BadKind.Oversized => Utf8(Oversized(route, random)),
            BadKind.NotAnObject => Utf8(BadInput.NotAnObject(random)),
            BadKind.Field => Utf8(Spoiled(route, round, random).ToJsonString()),
            BadKind.NoRecords => Utf8(BadInput.NoRecords(random)),
            BadKind.MalformedRecords => Utf8(BadInput.MalformedRecords(random)),
            _ => Valid(route, random),
        };

        if (kind == BadKind.WrongMethod)
        {
            method = random.Next(2) == 0 ? HttpMethod.Put : HttpMethod.Patch;
        }
        else if (kind == BadKind.Query)
        {
            var name = route.Query[round % route.Query.Count];
            var value = BadInput.Query(name, random);
            if (name == "Last-Event-ID")
            {
                lastEventId = value;
            }
            else
            {
                path += "?" + value;
            }
        }

        return new BadRequest(kind, route, method, path, body, lastEventId);
    }

    // The route's path with real IDs, but for the parameter this request spoils.
    private string Path(FuzzRoute route, BadKind kind, int round, Random random)
    {
        var path = route.Pattern;
        var parameters = route.Parameters;
        var idParameters = parameters.Where(p => Prefix(p.Resource) is not null).ToList();
        for (var i = 0; i < parameters.Count; i++)
        {
            var (name, resource) = parameters[i];
            var value = RealId(resource, route);
            if (kind == BadKind.PathId && i == round % parameters.Count)
            {
                value = Prefix(resource) is { } prefix ? BadInput.Id(prefix, random) : BadInput.Format(random);
            }
            else if (kind == BadKind.UnknownId && idParameters.Count > 0 && parameters[i] == idParameters[round % idParameters.Count])
            {
                value = Foreign(resource) is { } foreign && random.Next(2) == 0 ? foreign : BadInput.UnknownId(Prefix(resource) ?? "", random);
            }

            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return path;
    }

    // A body the route accepts: what makes the request bad is its path, method or query.
    private byte[]? Valid(FuzzRoute route, Random random) => route.Body switch
    {
        FuzzBody.Json => Utf8((route.Valid?.Invoke(world) ?? []).ToJsonString()),
        FuzzBody.File => Utf8(BadInput.Transcript(random)),
        _ => null,
    };

    // Every other round, the nesting is the value of a field of a valid body rather than the whole body.
    private string Nest(FuzzRoute route, string nested, int round)
    {
        if (route.Body != FuzzBody.Json || round % 2 == 0)
        {
            return nested;
        }

        var body = route.Valid?.Invoke(world) ?? [];
        body[route.Fields[0]] = "NESTED";
        return body.ToJsonString().Replace("\"NESTED\"", nested, StringComparison.Ordinal);
    }

    private string Oversized(FuzzRoute route, Random random)
    {
        if (route.Body == FuzzBody.File)
        {
            var lines = new StringBuilder();
            while (lines.Length <= maxBodyBytes)
            {
                lines.Append(BadInput.Transcript(random)).Append('\n');
            }

            return lines.ToString();
        }

        var body = route.Valid?.Invoke(world) ?? [];
        body[route.Fields[0]] = new string('x', (int)maxBodyBytes + random.Next(10_000));
        return body.ToJsonString();
    }

    private JsonObject Spoiled(FuzzRoute route, int round, Random random)
    {
        var field = route.Fields[round % route.Fields.Count];
        var body = route.Valid?.Invoke(world) ?? [];
        body[field] = BadInput.Field(field, random);
        if (random.Next(4) == 0 && route.Fields[0] != field)
        {
            body.Remove(route.Fields[0]);
        }

        return body;
    }

    private string RealId(string resource, FuzzRoute route) => resource switch
    {
        "agents" => world.Agent,
        "environments" => world.Environment,
        "sessions" => world.Session,
        "threads" => world.Thread,
        "memory_stores" => world.MemoryStore,
        "memories" => world.Memory,
        "memory_versions" => world.MemoryVersion,
        "dreams" => world.Dream,

        // The world's dream was created without review, so no change of it exists: a well-formed ID is all there is.
        "changes" => "dchg_fuzz0000000000000000000",
        "vaults" => world.Vault,
        "credentials" => world.Credential,
        "deployments" => world.Deployment,
        "deployment_runs" => world.DeploymentRun,
        "webhooks" => world.Webhook,
        "files" => world.File,
        "skills" => world.Skill,
        "versions" => world.SkillVersion,
        "resources" => world.SessionResource,
        "imports" => "openai-chat",
        "learning_policies" => world.LearningPolicy,

        // The world runs no eval (its sessions would change the store while it is compared): a well-formed ID is all there is.
        "evals" => "evalrun_fuzz0000000000000000000",
        _ => throw new InvalidOperationException($"The fuzzer has no ID for '{resource}' in {route.Key}; add one to FuzzWorld."),
    };

    private string? Foreign(string resource) => resource switch
    {
        "agents" => world.ForeignAgent,
        "environments" => world.ForeignEnvironment,
        "sessions" => world.ForeignSession,
        "memory_stores" => world.ForeignMemoryStore,
        "vaults" => world.ForeignVault,
        "files" => world.ForeignFile,
        "skills" => world.ForeignSkill,
        _ => null,
    };

    private static string? Prefix(string resource) => resource switch
    {
        "agents" => "agent",
        "environments" => "env",
        "sessions" => "sesn",
        "threads" => "sthr",
        "memory_stores" => "memstore",
        "memories" => "mem",
        "memory_versions" => "memver",
        "dreams" => "drm",
        "changes" => "dchg",
        "vaults" => "vlt",
        "credentials" => "vcrd",
        "deployments" => "depl",
        "deployment_runs" => "drun",
        "webhooks" => "whep",
        "files" => "file",
        "skills" => "skill",
        "versions" => "skver",
        "resources" => "sesrsc",
        "learning_policies" => "lrnp",
        "evals" => "evalrun",
        _ => null,
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
