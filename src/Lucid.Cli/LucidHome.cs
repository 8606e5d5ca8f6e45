namespace Lucid.Cli;

/// <summary>Where Lucid keeps its data: <c>$LUCID_HOME</c>, or <c>~/.lucid</c>.</summary>
internal sealed record LucidHome(string Directory)
{
    /// <summary>The SQLite database.</summary>
    public string DatabasePath => Path.Combine(Directory, "lucid.db");

    /// <summary>The configuration file (providers' keys and base URLs, model overrides).</summary>
    public string ConfigPath => Path.Combine(Directory, "config.json");

    /// <summary>The parent of sessions' workspace directories.</summary>
    public string WorkDirectoriesRoot => Path.Combine(Directory, "workspaces");

    /// <summary>The Files API's blobs, each file's bytes once under their SHA-256.</summary>
    public string FilesRoot => Path.Combine(Directory, "files");

    /// <summary>Where environments' pip and npm packages are installed, one prefix per environment and package list.</summary>
    public string PackagesRoot => Path.Combine(Directory, "packages");

    /// <summary>The key that seals vaults' secrets (32 bytes, mode 0600), made on first use; back it up apart from the database.</summary>
    public string VaultKeyPath => Path.Combine(Directory, "vault.key");

    /// <summary>Where the web console keeps the keys that encrypt its sign-in cookies.</summary>
    public string ConsoleKeysPath => Path.Combine(Directory, "console-keys");

    /// <summary>Resolves the data directory from the environment.</summary>
    public static LucidHome From(IReadOnlyDictionary<string, string?> environment)
    {
        var configured = environment.GetValueOrDefault("LUCID_HOME");
        return new LucidHome(Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".lucid")
            : configured));
    }
}
