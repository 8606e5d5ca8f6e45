using System.Diagnostics;
using System.Text;
using Lucid.Results;

namespace Lucid.Resources;

/// <summary>
/// Clones a repository with the <c>git</c> command, from the server process (not in a sandbox), and checks out a branch
/// or commit. git gets an environment of its own: no prompts, no system or user configuration, only the file, git,
/// http and https transports, and symbolic links checked out as plain files so a clone cannot point outside itself.
/// The token goes to git through its environment as an HTTP header, never on its command line, and is not written
/// into the clone's configuration; it is blanked out of git's messages.
/// </summary>
internal static class RepositoryCloner
{
    /// <summary>How long a clone may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private const int MaxMessageChars = 2000;

    /// <summary>Clones <paramref name="repository"/> into <paramref name="target"/> (which must not exist yet); an error says why git failed.</summary>
    public static async Task<LucidError?> CloneAsync(RepositoryAttachment repository, string target, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        Directory.CreateDirectory(Path.GetDirectoryName(target) ?? target);
        var home = Directory.CreateTempSubdirectory("lucid-git-").FullName;
        try
        {
            List<string> clone = ["-c", "core.symlinks=false", "clone", "--quiet", "--no-hardlinks"];
            if (repository.Checkout is { Kind: CheckoutKind.Branch } branch)
            {
                clone.AddRange(["--branch", branch.Value]);
            }

            clone.AddRange(["--", repository.Url, target]);
            var error = await GitAsync(clone, home, repository.AuthorizationToken, cancellationToken);
            if (error is null && repository.Checkout is { Kind: CheckoutKind.Commit } commit)
            {
                error = await GitAsync(["-C", target, "-c", "core.symlinks=false", "checkout", "--quiet", "--detach", commit.Value, "--"], home, null, cancellationToken);
            }

            if (error is null)
            {
                return null;
            }

            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            var message = repository.AuthorizationToken is { Length: > 0 } token ? error.Replace(token, "***", StringComparison.Ordinal) : error;
            return LucidError.Invalid(field, $"Cloning {repository.Url}{Describe(repository.Checkout)} failed: {message}");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static string Describe(RepositoryCheckout? checkout) => checkout switch
    {
        { Kind: CheckoutKind.Branch } => $" (branch {checkout.Value})",
        { Kind: CheckoutKind.Commit } => $" (commit {checkout.Value})",
        _ => "",
    };

    // Runs git; returns null when it succeeds, or what it said when it fails.
    private static async Task<string?> GitAsync(IReadOnlyList<string> arguments, string home, string? token, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Clear();
        start.Environment["PATH"] = Sandboxing.BubblewrapArguments.SystemPath;
        start.Environment["HOME"] = home;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_ALLOW_PROTOCOL"] = "file:git:http:https";
        start.Environment["GIT_ASKPASS"] = "/bin/false";
        if (token is { Length: > 0 })
        {
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{token}"));
            start.Environment["GIT_CONFIG_COUNT"] = "1";
            start.Environment["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            start.Environment["GIT_CONFIG_VALUE_0"] = $"Authorization: Basic {basic}";
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            await Sandboxing.ProcessLauncher.StartAsync(process);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"git could not be started ({ex.Message}); install git on the server.";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return $"git did not finish within {Timeout.TotalMinutes:N0} minutes.";
        }

        var said = ((await stderr) + (await stdout)).Trim();
        return process.ExitCode == 0 ? null : (said.Length > MaxMessageChars ? said[^MaxMessageChars..] : said) is { Length: > 0 } text ? text : $"git exited with code {process.ExitCode}.";
    }
}
