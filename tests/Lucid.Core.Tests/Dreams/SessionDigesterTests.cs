using System.Text.Json;
using Lucid.Dreams;
using Lucid.Json;
using Lucid.Outcomes;

namespace Lucid.Core.Tests.Dreams;

public sealed class SessionDigesterTests
{
    private static SessionDigest Digest(SeededLog log, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var digester = new SessionDigester(log.Session(metadata));
        foreach (var e in log.Events)
        {
            digester.Add(e);
        }

        return digester.Build();
    }

    [Fact]
    public void Digest_keeps_task_verdicts_errors_and_fix_with_their_event_ids()
    {
        var log = new SeededLog("sesn_a");
        var task = log.User("Book a flight from JFK to SEA.");
        var failedUse = log.ToolUse("book", """{"flight":"HAT136","amount":250}""");
        var failedResult = log.ToolResult(failedUse, "Error: payment amount does not add up, total price is 305, but paid 250", isError: true);
        log.Call("search", """{"q":"x"}""", "ok");
        var fixedUse = log.Call("book", """{"flight":"HAT136","amount":305}""", "booked");
        var verdict = log.Evaluation(0, OutcomeResult.NeedsRevision, "Missing confirmation.", new OutcomeFinding("asks for confirmation", "no yes from user", false, "ask first"));
        log.Evaluation(1, OutcomeResult.Satisfied, "All met.");

        var digest = Digest(log);

        Assert.Equal("Book a flight from JFK to SEA.", digest.Task);
        Assert.Equal(task, digest.TaskEventId);
        Assert.Equal(OutcomeResult.Satisfied, digest.FinalResult);
        Assert.True(digest.Passed);
        Assert.Equal(2, digest.Verdicts.Count);
        Assert.Equal(verdict, digest.Verdicts[0].EventId);
        Assert.Equal("asks for confirmation", Assert.Single(digest.Verdicts[0].UnmetCriteria).Criterion);
        var error = Assert.Single(digest.ToolErrors);
        Assert.Equal("book", error.Tool);
        Assert.Equal("Error: payment amount does not add up, total price is <n>, but paid <n>", error.Signature);
        Assert.Equal((failedUse, failedResult), (error.ToolUseEventId, error.ResultEventId));
        Assert.Equal(new DigestToolFix("~amount", fixedUse, 1), error.Fix);
        Assert.Equal([new DigestToolCount("book", 2, 1), new DigestToolCount("search", 1, 0)], digest.Tools);
    }

    [Fact]
    public void Recalled_memory_text_never_enters_the_digest()
    {
        const string recalled = "LESSON: always pay with the larger certificate first";
        var log = new SeededLog("sesn_m");
        log.User("Pay for the booking.");
        var read = log.Call("read", """{"file_path":"/mnt/memory/airline/payments.md"}""", recalled);
        log.Call("bash", """{"command":"cat /mnt/memory/airline/refunds.md"}""", recalled + " (via bash)");
        var write = log.Call("edit", """{"file_path":"/mnt/memory/airline/payments.md","old_string":"a","new_string":"b"}""", "edited");
        log.Call("read", """{"file_path":"/mnt/memory/airline/missing.md"}""", recalled + " partial, then failed", isError: true);

        var digest = Digest(log);

        Assert.Equal(
            [new DigestMemoryAccess("/mnt/memory/airline/payments.md", false, read), new DigestMemoryAccess("/mnt/memory/airline/refunds.md", false, digest.Memories[1].ToolUseEventId),
             new DigestMemoryAccess("/mnt/memory/airline/payments.md", true, write), new DigestMemoryAccess("/mnt/memory/airline/missing.md", false, digest.Memories[3].ToolUseEventId)],
            digest.Memories);
        Assert.Equal("(memory read failed)", Assert.Single(digest.ToolErrors).Signature);
        Assert.DoesNotContain("LESSON", DigestText.Render(digest), StringComparison.Ordinal);
        Assert.DoesNotContain("LESSON", JsonSerializer.Serialize(digest, LucidJsonContext.Default.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_calls_and_errors_are_detours_and_tokens_of_all_failed_requests_are_wasted()
    {
        var log = new SeededLog("sesn_r");
        log.User("Change the flight.");
        log.ModelRequest(100, 10);
        var first = log.Call("update", """{"flight":"HAT030"}""", "Error: flight HAT030 not available on date 2024-05-13", isError: true);
        var wasted = log.ModelRequest(120, 12);
        var second = log.Call("update", """{"flight":"HAT030"}""", "Error: flight HAT030 not available on date 2024-05-13", isError: true);
        log.ModelRequest(130, 13);
        log.Call("update", """{"flight":"HAT031"}""", "done");

        var digest = Digest(log);

        var call = Assert.Single(digest.Repeats, r => r.Kind == DigestRepeat.RepeatedCall);
        Assert.Equal(("update", 2), (call.Tool, call.Count));
        Assert.Equal([first, second], call.EventIds);
        var error = Assert.Single(digest.Repeats, r => r.Kind == DigestRepeat.RepeatedError);
        Assert.Equal("Error: flight <id> not available on date <n>", error.Signature);
        Assert.Equal(2, error.Count);
        Assert.Equal(3, digest.Tokens.ModelRequests);
        Assert.Equal(350 + 35, digest.Tokens.InputTokens + digest.Tokens.OutputTokens);
        Assert.Equal(110 + 132, digest.Tokens.WastedTokens);
        Assert.Contains(wasted, digest.Tokens.WastedEventIds);
        Assert.All(digest.ToolErrors, e => Assert.Equal("~flight", e.Fix?.Change));
    }

    [Fact]
    public void In_imported_sessions_results_starting_with_Error_fail_even_without_is_error()
    {
        var log = new SeededLog("sesn_i");
        log.Call("get_user", "{}", "Error: user not found");
        log.Call("get_user", "{}", "Errors are listed below: none");

        Assert.Empty(Digest(log).ToolErrors);
        var imported = Digest(log, new Dictionary<string, string> { [SessionDigester.ImportSourceKey] = "tau-bench:x.json" });
        Assert.Equal("Error: user not found", Assert.Single(imported.ToolErrors).Signature);
    }

    [Theory]
    [InlineData("Error: gift card balance is not enough", "Error: gift card balance is not enough")]
    [InlineData("Error: not enough seats on flight HAT290", "Error: not enough seats on flight <id>")]
    [InlineData("Error: not enough balance in payment method gift_card_5094406.", "Error: not enough balance in payment method <id>.")]
    [InlineData("FileNotFoundError: '/work/src/app.py' (errno 2)\ntraceback…", "FileNotFoundError: '<path>' (errno <n>)")]
    public void Error_signatures_strip_numbers_ids_and_paths(string text, string signature) =>
        Assert.Equal(signature, ErrorSignatures.Normalize(text));
}
