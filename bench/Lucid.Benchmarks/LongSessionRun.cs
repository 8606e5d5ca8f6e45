using System.Globalization;
using Lucid.Events;
using Lucid.Models;
using Lucid.Providers;
using Lucid.Sessions;
using Lucid.Testing.Providers;
using Lucid.Testing.Sessions;

namespace Lucid.Benchmarks;

/// <summary>
/// One very long session on a model with a small context window: the Anthropic client code against a fake Messages API
/// that counts a request's tokens as its body's characters over four and refuses one over the window in Anthropic's
/// words. Each turn runs one <c>bash</c> command printing 2–4 kB, then answers. Prints the tokens each request holds
/// against the turn number, beside what the same history would hold uncompacted (the baseline, from the same log),
/// and what compaction itself cost.
/// </summary>
internal static class LongSessionRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var turns = ApiLoadRun.Option(args, "--turns", 1000);
        var window = ApiLoadRun.Option(args, "--window", 8000);
        var bucket = ApiLoadRun.Option(args, "--bucket", 100);
        var model = new ContextLimitedModel(window);
        await using var server = new FakeAnthropicServer { Fallback = model.AnthropicAsync };
        await server.StartAsync();
        using var resolver = new ModelResolver(new ProviderSettings { AnthropicApiKey = "sk-ant-fake", AnthropicBaseUrl = server.BaseUrl, MaxRetries = 0 });
        var catalog = new ModelCatalog(new Dictionary<string, ModelInfo>
        {
            [SessionHarness.ModelName] = new() { ContextWindow = window, MaxOutputTokens = 500, IsKnown = true },
        });
        await using var h = await SessionHarness.StartAsync(options: new SessionEngineOptions { Catalog = catalog });
        h.Models.With(SessionHarness.ModelName, resolver.Resolve("anthropic/claude-bench").Value ?? throw new InvalidOperationException("no client"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var turn = 1; turn <= turns; turn++)
        {
            var events = await h.RunTurnAsync($"Run the command of turn {turn}.");
            if (events.Any(e => e.Event is SessionErrorEvent))
            {
                Console.Error.WriteLine($"turn {turn} ended in session.error");
                return 1;
            }

            if (turn % 100 == 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{turn} turns in {clock.Elapsed.TotalSeconds:F0} s"));
            }
        }

        var log = await h.LogAsync();
        var (compacted, uncompacted) = ContextPerTurn(log);
        var agentRequests = model.Requests.Where(r => !r.Summary).Select(r => r.Tokens).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{turns:N0} turns, window {window:N0} tokens (the fake's count: body characters / 4), reply reserve 500, compaction at 80% of the rest"));
        Console.WriteLine();
        Console.WriteLine("| turns | tokens per request sent (provider's count, max) | context sent, estimated (max) | same history uncompacted, estimated (at the last turn) |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var start = 0; start < turns; start += bucket)
        {
            var end = Math.Min(turns, start + bucket);
            var sent = agentRequests.Skip(start * 2).Take((end - start) * 2).DefaultIfEmpty(0).Max();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {start + 1}–{end} | {sent:N0} | {compacted.Skip(start).Take(end - start).DefaultIfEmpty(0).Max():N0} | {uncompacted[end - 1]:N0} |"));
        }

        var compactions = log.Count(e => e.Event is AgentThreadContextCompactedEvent);
        var summaries = model.Requests.Where(r => r.Summary).ToList();
        var allInput = model.Requests.Sum(r => (long)r.Tokens);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"compactions: {compactions:N0} (one every {(double)turns / Math.Max(1, compactions):F1} turns); summarizing requests: {summaries.Count:N0} ({(double)summaries.Count / Math.Max(1, compactions):F2} a compaction)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tokens sent: {allInput:N0} in {model.Requests.Count:N0} requests; by summarizing requests: {summaries.Sum(r => (long)r.Tokens):N0} ({100.0 * summaries.Sum(r => (long)r.Tokens) / Math.Max(1, allInput):F1} %), each answered with a summary of ~20 tokens"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests refused as too long: {model.TooLongAnswers}; wall time {clock.Elapsed.TotalSeconds:F0} s"));
        return model.TooLongAnswers == 0 ? 0 : 1;
    }

    // The estimated tokens of the conversation at each turn's end, folded with and without its compactions.
    private static (List<int> Compacted, List<int> Uncompacted) ContextPerTurn(IReadOnlyList<LoggedEvent> log)
    {
        var withCompaction = new Conversation();
        var without = new Conversation();
        var compacted = new List<int>();
        var uncompacted = new List<int>();
        var total = 0;
        var counted = 0;
        foreach (var e in log)
        {
            withCompaction.Apply(e);
            if (e.Event is not AgentThreadContextCompactedEvent)
            {
                without.Apply(e);
            }

            if (e.Event is SessionStatusIdleEvent)
            {
                compacted.Add(TokenEstimate.Of(SessionHarness.ModelName, withCompaction.Messages));
                total += TokenEstimate.Of(SessionHarness.ModelName, without.Messages.Skip(counted));
                counted = without.Messages.Count;
                uncompacted.Add(total);
            }
        }

        return (compacted, uncompacted);
    }
}
