namespace Lucid.Events;

/// <summary>What an <see cref="ILogCommitFeed"/> tells its listener: <see cref="LogCommittedNotice"/> or <see cref="CatchUpNotice"/>.</summary>
public abstract record LogNotice;
