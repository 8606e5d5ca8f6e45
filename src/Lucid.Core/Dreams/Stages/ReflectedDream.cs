using Lucid.Memory;

namespace Lucid.Dreams.Stages;

/// <summary>After the reflect stage: candidate lessons that cite events of the input sessions, and the output store they were weighed against.</summary>
/// <param name="Report">The report so far.</param>
/// <param name="OutputStoreId">The store the dream writes.</param>
/// <param name="Evidence">The session of every event read (what a citation may name) and the task of every session.</param>
/// <param name="Snapshot">The output store's memories when the stage read them, by path.</param>
/// <param name="Lessons">The lessons kept.</param>
internal sealed record ReflectedDream(
    DreamReport Report, string OutputStoreId, DreamEvidence Evidence, IReadOnlyDictionary<string, MemoryDocument> Snapshot, IReadOnlyList<DreamLesson> Lessons)
    : IDreamState;
