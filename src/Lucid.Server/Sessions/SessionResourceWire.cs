using System.Text.Json.Nodes;
using Lucid.Ids;
using Lucid.Memory;
using Lucid.Resources;
using Lucid.Server.Http;
using Lucid.Sessions;

namespace Lucid.Server.Sessions;

/// <summary>Session resources on the wire: memory stores, files and GitHub (or any git) repositories, read and written.</summary>
internal static class SessionResourceWire
{
    private const int MaxUrlLength = 2048;
    private const int MaxTokenLength = 4096;

    /// <summary>The resources of a session-create body, by kind.</summary>
    public static (List<MemoryAttachment> Memory, List<FileAttachment> Files, List<RepositoryAttachment> Repositories) Read(WireObject body)
    {
        var memory = new List<MemoryAttachment>();
        var files = new List<FileAttachment>();
        var repositories = new List<RepositoryAttachment>();
        foreach (var (item, path) in body.Array("resources", 100))
        {
            var resource = new WireObject(item, path);
            switch (resource.RequiredString("type"))
            {
                case "file":
                    files.Add(ReadFile(resource));
                    break;
                case "github_repository":
                    repositories.Add(ReadRepository(resource));
                    break;
                default:
                    memory.Add(SessionEndpoints.Resource(resource));
                    break;
            }
        }

        return (memory, files, repositories);
    }

    /// <summary>A file resource: <c>file_id</c> and an optional <c>mount_path</c>.</summary>
    public static FileAttachment ReadFile(WireObject resource) =>
        new(Requests.Id(resource.RequiredString("file_id", 128), IdPrefixes.File, resource.PathOf("file_id")), resource.String("mount_path", MountPaths.MaxLength));

    private static RepositoryAttachment ReadRepository(WireObject resource)
    {
        var url = resource.RequiredString("url", MaxUrlLength);
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            throw RequestException.Invalid(resource.PathOf("url"), "url must not carry credentials (they would be kept with the session); give the token as authorization_token, which is used for the clone only.");
        }

        if (url.StartsWith('-') || url.Any(char.IsControl))
        {
            throw RequestException.Invalid(resource.PathOf("url"), $"'{url}' is not a git URL or path.");
        }

        RepositoryCheckout? checkout = null;
        if (resource.Object("checkout") is { } given && !resource.IsNull("checkout"))
        {
            checkout = given.RequiredString("type") switch
            {
                "branch" => new RepositoryCheckout(CheckoutKind.Branch, BranchName(given)),
                "commit" => new RepositoryCheckout(CheckoutKind.Commit, CommitSha(given)),
                var other => throw RequestException.Invalid(given.PathOf("type"), $"checkout.type must be branch or commit, not '{other}'."),
            };
        }

        return new RepositoryAttachment(url, resource.String("mount_path", MountPaths.MaxLength), checkout, resource.String("authorization_token", MaxTokenLength));
    }

    private static string BranchName(WireObject checkout)
    {
        var name = checkout.RequiredString("name", 255);
        return name.Length == 0 || name.StartsWith('-') || name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? throw RequestException.Invalid(checkout.PathOf("name"), $"'{name}' is not a branch name.")
            : name;
    }

    private static string CommitSha(WireObject checkout)
    {
        var sha = checkout.RequiredString("sha", 64);
        return sha.Length is 40 or 64 && sha.All(char.IsAsciiHexDigit)
            ? sha.ToLowerInvariant()
            : throw RequestException.Invalid(checkout.PathOf("sha"), $"sha must be a full commit SHA (40 hexadecimal digits); got '{sha}'.");
    }

    /// <summary>Every resource of a session as the API lists them: memory stores first, then files and repositories in the order they were added.</summary>
    public static List<JsonNode> All(Session session) =>
    [
        .. session.Resources.Select(Memory),
        .. session.Files.Select(f => (Created: f.CreatedAt, Json: (JsonNode)File(f)))
            .Concat(session.Repositories.Select(r => (Created: r.CreatedAt, Json: (JsonNode)Repository(r))))
            .OrderBy(r => r.Created).Select(r => r.Json),
    ];

    public static JsonObject File(FileResource file) => new()
    {
        ["type"] = "file",
        ["id"] = file.Id,
        ["file_id"] = file.FileId,
        ["mount_path"] = file.MountPath,
        ["created_at"] = Wire.Time(file.CreatedAt),
        ["updated_at"] = Wire.Time(file.UpdatedAt),
    };

    public static JsonObject Repository(RepositoryResource repository) => new()
    {
        ["type"] = "github_repository",
        ["id"] = repository.Id,
        ["url"] = repository.Url,
        ["mount_path"] = repository.MountPath,
        ["checkout"] = Checkout(repository.Checkout),
        ["created_at"] = Wire.Time(repository.CreatedAt),
        ["updated_at"] = Wire.Time(repository.UpdatedAt),
    };

    /// <summary>A repository's <c>checkout</c>: <c>{type: branch, name}</c>, <c>{type: commit, sha}</c>, or null for the default branch.</summary>
    public static JsonObject? Checkout(RepositoryCheckout? checkout) => checkout switch
    {
        { Kind: CheckoutKind.Branch } branch => new JsonObject { ["type"] = "branch", ["name"] = branch.Value },
        { Kind: CheckoutKind.Commit } commit => new JsonObject { ["type"] = "commit", ["sha"] = commit.Value },
        _ => null,
    };

    private static JsonObject Memory(MemoryStoreResource r) => new()
    {
        ["type"] = "memory_store",
        ["memory_store_id"] = r.MemoryStoreId,
        ["access"] = r.Access == MemoryAccess.ReadOnly ? "read_only" : "read_write",
        ["name"] = r.Name,
        ["description"] = r.Description,
        ["instructions"] = r.Instructions,
        ["mount_path"] = r.MountPath,
    };
}
