using Lucid.Environments;
using Lucid.Events;
using Lucid.Sessions;
using Lucid.Testing.Sessions;
using Lucid.Vaults;

namespace Lucid.Core.Tests.Vaults;

public sealed class UnreachableCredentialHostsTests
{
    [Fact]
    public async Task Hosts_the_environment_does_not_permit_are_reported_once_per_credential_and_a_credential_with_none_left_is_left_out()
    {
        await using var h = await SessionHarness.StartAsync();
        var vault = Ok(await h.Engine.Vaults.CreateAsync(Workspaces.Default, "keys", null, CancellationToken.None));
        var partly = await CredentialAsync(h, vault.Id, "PARTLY", ["api.example.com", "other.example.org"]);
        await CredentialAsync(h, vault.Id, "COVERED", ["x.internal.example"]);
        var wildcard = await CredentialAsync(h, vault.Id, "WILDCARD", ["*.example.com"]);
        await CredentialAsync(h, vault.Id, "ANYWHERE", null);
        var environment = Ok(await new EnvironmentService(h.Store).CreateAsync(
            Workspaces.Default,
            "limited",
            null,
            null,
            new EnvironmentConfig { Networking = new NetworkPolicy { AllowedHosts = ["api.example.com", "*.internal.example"] } },
            CancellationToken.None));
        const string Show = "echo \"${PARTLY-unset} ${COVERED-unset} ${WILDCARD-unset} ${ANYWHERE-unset}\"";
        h.Model.CallTool("bash", new { command = Show }).CallTool("bash", new { command = Show }).Reply("Done.");

        var session = Ok(await h.Sessions.CreateAsync(
            Workspaces.Default,
            new SessionDefinition { AgentId = h.Agent.Id, EnvironmentId = environment.Id, VaultIds = [vault.Id], InitialEvents = [SessionHarness.Message("Go.")] },
            CancellationToken.None));
        var events = await h.FollowAsync(session.Id, 0, e => e[^1].Event is SessionStatusIdleEvent);

        var errors = events.Select(e => e.Event).OfType<SessionErrorEvent>().Select(e => e.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(("credential_host_unreachable_error", "terminal", vault.Id), (e.Type, e.RetryStatus.Type, e.VaultId)));
        Assert.Equal([partly, wildcard], errors.Select(e => e.CredentialId));
        Assert.Contains("allows other.example.org, which the environment's networking does not permit; PARTLY is substituted only on its other hosts", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("allows *.example.com, which the environment's networking does not permit; none of its hosts is, so the sandbox does not get WILDCARD", errors[1].Message, StringComparison.Ordinal);

        var shown = events.Select(e => e.Event).OfType<AgentToolResultEvent>().Select(r => Assert.IsType<TextBlock>(r.Content[0]).Text).ToList();
        Assert.Equal(2, shown.Count);
        Assert.All(shown, text => Assert.Matches(@"^lucid_placeholder_vcrd_\S+ lucid_placeholder_vcrd_\S+ unset lucid_placeholder_vcrd_\S+\n", text));
    }

    private static async Task<string> CredentialAsync(SessionHarness h, string vaultId, string name, IReadOnlyList<string>? hosts)
    {
        var auth = new EnvironmentVariableAuth { SecretName = name, AllowedHosts = hosts };
        var created = await h.Engine.Credentials.CreateAsync(Workspaces.Default, vaultId, new NewCredential(null, null, auth, new CredentialSecrets { Value = $"{name.ToLowerInvariant()}-secret-123456" }), CancellationToken.None);
        return Ok(created).Id;
    }

    private static T Ok<T>(Results.Result<T> result) => result.Value ?? throw new InvalidOperationException(result.Error?.ToString());
}
