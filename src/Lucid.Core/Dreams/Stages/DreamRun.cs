using Lucid.Memory;
using Lucid.Secrets;

namespace Lucid.Dreams.Stages;

/// <summary>
/// One run of a dream, once its session exists: the dream, the journal of its session, the scanner that keeps secrets
/// out of what it writes, and where progress goes.
/// </summary>
/// <param name="Dream">The dream as claimed, with its session.</param>
/// <param name="Journal">The dream's session.</param>
/// <param name="Secrets">Finds and redacts secrets, including the host's own.</param>
/// <param name="Progress">A progress display, or null.</param>
internal sealed record DreamRun(Dream Dream, DreamJournal Journal, SecretScanner Secrets, IProgress<DreamProgress>? Progress)
{
    /// <summary>The author of the memory versions the dream writes.</summary>
    public MemoryActor Actor => MemoryActor.Dream(Dream.Id, Journal.SessionId);

    /// <summary>Tells the progress display and the dream's session what a stage did.</summary>
    public async Task NoteAsync(DreamStage stage, string text, CancellationToken cancellationToken)
    {
        Progress?.Report(new DreamProgress(stage, text));
        await Journal.MessageAsync($"[{stage.ToWire()}] {text}", cancellationToken);
    }
}
