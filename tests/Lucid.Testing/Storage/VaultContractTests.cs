using System.Text.Json;
using Lucid.Json;
using Lucid.Storage;
using Lucid.Vaults;

namespace Lucid.Testing.Storage;

/// <summary>The vault store contract, written once and run against every backend.</summary>
public abstract class VaultContractTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Returns a new, empty store.</summary>
    protected abstract Task<ILucidStore> CreateStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    // Records holding lists and maps compare by the JSON the stores persist.
    private static string Json<T>(T? value) => value is null ? "null" : JsonSerializer.Serialize(value, typeof(T), LucidJsonContext.Default);

    private static Vault NewVault(string id, string workspace = "team", int minute = 0) =>
        new() { Id = id, WorkspaceId = workspace, DisplayName = $"vault {id}", Metadata = new Dictionary<string, string> { ["k"] = "v" }, CreatedAt = T0.AddMinutes(minute), UpdatedAt = T0.AddMinutes(minute) };

    private static VaultCredential NewCredential(string id, string vault, CredentialAuth auth, int minute = 0) => new()
    {
        Id = id,
        VaultId = vault,
        WorkspaceId = "team",
        DisplayName = "cred",
        Auth = auth,
        SealedSecrets = $"sealed-{id}",
        CreatedAt = T0.AddMinutes(minute),
        UpdatedAt = T0.AddMinutes(minute),
    };

    [Fact]
    public async Task Vaults_round_trip_and_list_newest_first_per_workspace_without_archived_unless_asked()
    {
        await using var store = await CreateStoreAsync();
        var first = NewVault("vlt_1");
        var second = NewVault("vlt_2", minute: 1);
        await store.CreateVaultAsync(first, None);
        await store.CreateVaultAsync(second, None);
        await store.CreateVaultAsync(NewVault("vlt_other", workspace: "other", minute: 2), None);
        var archived = second with { ArchivedAt = T0.AddHours(1), UpdatedAt = T0.AddHours(1) };

        Assert.True(await store.UpdateVaultAsync(archived, None));

        Assert.Equal(Json(first), Json(await store.GetVaultAsync("vlt_1", None)));
        Assert.Equal(["vlt_1"], (await store.ListVaultsAsync("team", false, new PageRequest(20), None)).Items.Select(v => v.Id));
        Assert.Equal(["vlt_2", "vlt_1"], (await store.ListVaultsAsync("team", true, new PageRequest(20), None)).Items.Select(v => v.Id));
        Assert.False(await store.UpdateVaultAsync(NewVault("vlt_nope"), None));
    }

    [Fact]
    public async Task Credentials_of_every_kind_round_trip_and_list_by_vault_in_pages()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateVaultAsync(NewVault("vlt_1"), None);
        await store.CreateVaultAsync(NewVault("vlt_2"), None);
        var bearer = NewCredential("vcrd_1", "vlt_1", new StaticBearerAuth { ServerUrl = "https://mcp.example.com/mcp" });
        var oauth = NewCredential("vcrd_2", "vlt_1", new McpOAuthAuth
        {
            ServerUrl = "https://other.example.com/mcp",
            ExpiresAt = T0.AddHours(2),
            Refresh = new OAuthRefresh { ClientId = "client", TokenEndpoint = "https://auth.example.com/token", AuthMethod = TokenEndpointAuthMethod.ClientSecretPost, Scope = "read" },
        }, minute: 1);
        var variable = NewCredential("vcrd_3", "vlt_1", new EnvironmentVariableAuth { SecretName = "API_TOKEN", AllowedHosts = ["api.example.com", "*.example.org"], InBody = true }, minute: 2);
        var elsewhere = NewCredential("vcrd_4", "vlt_2", new StaticBearerAuth { ServerUrl = "https://mcp.example.com/mcp" }, minute: 3);
        foreach (var credential in new[] { bearer, oauth, variable, elsewhere })
        {
            await store.CreateCredentialAsync(credential, None);
        }

        Assert.Equal(Json(bearer), Json(await store.GetCredentialAsync("vcrd_1", None)));
        Assert.Equal(Json(oauth), Json(await store.GetCredentialAsync("vcrd_2", None)));
        Assert.Equal(Json(variable), Json(await store.GetCredentialAsync("vcrd_3", None)));
        var firstPage = await store.ListCredentialsAsync("vlt_1", false, new PageRequest(2), None);
        var secondPage = await store.ListCredentialsAsync("vlt_1", false, new PageRequest(2, firstPage.NextPage), None);
        Assert.Equal(["vcrd_3", "vcrd_2"], firstPage.Items.Select(c => c.Id));
        Assert.Equal(["vcrd_1"], secondPage.Items.Select(c => c.Id));
        Assert.Null(secondPage.NextPage);
    }

    [Fact]
    public async Task An_archived_credential_is_listed_only_when_asked_and_an_update_replaces_it()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateVaultAsync(NewVault("vlt_1"), None);
        var credential = NewCredential("vcrd_1", "vlt_1", new StaticBearerAuth { ServerUrl = "https://mcp.example.com/mcp" });
        await store.CreateCredentialAsync(credential, None);
        var archived = credential with { SealedSecrets = "sealed-again", ArchivedAt = T0.AddHours(1) };

        Assert.True(await store.UpdateCredentialAsync(archived, None));

        Assert.Empty((await store.ListCredentialsAsync("vlt_1", false, new PageRequest(20), None)).Items);
        Assert.Equal(Json(archived), Json(Assert.Single((await store.ListCredentialsAsync("vlt_1", true, new PageRequest(20), None)).Items)));
        Assert.False(await store.UpdateCredentialAsync(NewCredential("vcrd_nope", "vlt_1", credential.Auth), None));
    }

    [Fact]
    public async Task Deleting_a_vault_deletes_its_credentials_and_deleting_a_credential_deletes_only_it()
    {
        await using var store = await CreateStoreAsync();
        await store.CreateVaultAsync(NewVault("vlt_1"), None);
        await store.CreateVaultAsync(NewVault("vlt_2"), None);
        await store.CreateCredentialAsync(NewCredential("vcrd_1", "vlt_1", new StaticBearerAuth { ServerUrl = "https://a.example.com" }), None);
        await store.CreateCredentialAsync(NewCredential("vcrd_2", "vlt_2", new StaticBearerAuth { ServerUrl = "https://b.example.com" }), None);
        await store.CreateCredentialAsync(NewCredential("vcrd_3", "vlt_2", new StaticBearerAuth { ServerUrl = "https://c.example.com" }), None);

        Assert.True(await store.DeleteVaultAsync("vlt_1", None));
        Assert.True(await store.DeleteCredentialAsync("vcrd_2", None));

        Assert.Null(await store.GetVaultAsync("vlt_1", None));
        Assert.Null(await store.GetCredentialAsync("vcrd_1", None));
        Assert.Null(await store.GetCredentialAsync("vcrd_2", None));
        Assert.NotNull(await store.GetCredentialAsync("vcrd_3", None));
        Assert.False(await store.DeleteVaultAsync("vlt_1", None));
        Assert.False(await store.DeleteCredentialAsync("vcrd_2", None));
    }
}
