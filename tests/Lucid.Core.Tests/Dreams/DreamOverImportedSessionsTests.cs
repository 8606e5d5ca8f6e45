using Lucid.Dreams;
using Lucid.Events;
using Lucid.Importing;
using Lucid.Testing.Data;
using static Lucid.Core.Tests.Dreams.DreamHarness;

namespace Lucid.Core.Tests.Dreams;

/// <summary>A dream over sessions imported from τ-bench (trials 0–1) works as over native ones.</summary>
public sealed class DreamOverImportedSessionsTests
{
    [Fact]
    public async Task A_dream_over_imported_tau_bench_sessions_writes_a_lesson_citing_their_events()
    {
        using var h = new DreamHarness();
        var root = Directory.CreateTempSubdirectory("lucid-import-dream-").FullName;
        try
        {
            var import = await new TranscriptImporter(h.Store, h.Events, new ImportOptions { WorkDirectoriesRoot = root })
                .ImportAsync(Ws, ImportFormats.TauBench, "airline.json", new MemoryStream(TauBenchData.Trials(0, 1)), None);
            var sessions = import.Value!.Imported.Select(r => r.SessionId).ToList();
            Assert.Equal(100, sessions.Count);

            // Real evidence: the failed tool results of the imported transcripts.
            var failures = new List<(string Session, string Event)>();
            foreach (var session in sessions)
            {
                failures.AddRange((await h.SessionEventsAsync(session)).Select(e => e.Event).OfType<AgentToolResultEvent>().Where(r => r.IsError).Select(r => (session, r.Id)));
            }

            Assert.NotEmpty(failures);
            var evidence = failures.Take(6).Select(f => f.Event).ToArray();
            var store = await h.StoreAsync();
            h.Dreamer.Reply(Lessons(new { title = "Check the payment split before booking", when = "book_reservation fails on payment", @do = "Make the payment methods add up to the total first.", evidence }));
            h.Dreamer.Reply(Operations(Op("add", "/lessons/payments.md", "Check the payment split before booking", "`book_reservation` fails on payment",
                "Make the payment methods add up to the total before booking.", evidence, "the imported sessions fail this way")));

            var dream = await h.DreamAsync(store, sessions.Take(100).ToList());

            Assert.Equal(DreamStatus.Completed, dream.Status);
            var lesson = (await h.MemoriesAsync(dream.OutputStoreId!))["/lessons/payments.md"].Content!;
            Assert.Contains($"`{failures[0].Session}`", lesson, StringComparison.Ordinal);
            Assert.Contains($"`{failures[0].Event}`", lesson, StringComparison.Ordinal);

            // The model was shown the mined patterns of the imported sessions: their failing tools by name.
            Assert.Contains("book_reservation", h.Dreamer.Requests[0].AllText, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
