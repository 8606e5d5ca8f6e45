using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Json;
using Lucid.Memory;
using Lucid.Models;
using Lucid.Sessions;
using Lucid.Storage;
using Microsoft.Extensions.AI;

namespace Lucid.Dreams;

/// <summary>
/// Runs one dream: digest and mine the sessions (no model), reflect into candidate lessons and curate them into edits
/// (the model, with structured JSON replies), then apply the edits and the report to the output store in one atomic
/// batch. Between stages it checks that the dream is still running, so a cancel stops it at the next boundary.
/// </summary>
public sealed class DreamPipeline
{
    private readonly ILucidStore _store;
    private readonly MemoryService _memory;
    private readonly EventHub _events;
    private readonly IChatClientResolver _models;
    private readonly DreamOptions _options;
    private readonly string _workRoot;
    private readonly TimeProvider _time;
    private readonly IdGenerator _ids;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="store">The store holding dreams, sessions and memory.</param>
    /// <param name="memory">Memory stores, through which every write goes.</param>
    /// <param name="events">Where the dream's session events are committed and published.</param>
    /// <param name="models">Resolves the dream's model string.</param>
    /// <param name="options">Budget and limits.</param>
    /// <param name="workRoot">Where the dream's session gets its (empty) work directory.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="ids">The ID source.</param>
    public DreamPipeline(
        ILucidStore store, MemoryService memory, EventHub events, IChatClientResolver models, DreamOptions? options, string workRoot, TimeProvider? timeProvider = null, IdGenerator? ids = null)
    {
        _store = store;
        _memory = memory;
        _events = events;
        _models = models;
        _options = options ?? new DreamOptions();
        _workRoot = workRoot;
        _time = timeProvider ?? TimeProvider.System;
        _ids = ids ?? IdGenerator.Random;
    }

    /// <summary>The pipeline's settings.</summary>
    public DreamOptions Options => _options;

    /// <summary>
    /// Runs a pending dream to its end and returns it as stored. A dream that is no longer pending is returned as it is.
    /// Cancellation of <paramref name="cancellationToken"/> stops the work; the dream's status is then whatever a cancel
    /// request set, or <c>canceled</c> with <see cref="DreamOptions.CancelWhenStopped"/>, or else still <c>running</c>
    /// (the process is stopping, for recovery to settle).
    /// </summary>
    public async Task<Dream> RunAsync(string dreamId, IProgress<DreamProgress>? progress, CancellationToken cancellationToken)
    {
        // Not cancellable: a claim that lands after the token fired would otherwise leave the dream running with no one to end it.
        var claimed = await _store.UpdateDreamAsync(dreamId, d => d.Status == DreamStatus.Pending ? d with { Status = DreamStatus.Running } : null, CancellationToken.None)
            ?? throw new KeyNotFoundException($"Dream '{dreamId}' does not exist.");
        if (claimed.Status != DreamStatus.Running)
        {
            return claimed;
        }

        var run = new Run(this, claimed, progress);
        try
        {
            await run.ExecuteAsync(cancellationToken);
            return await FinishAsync(dreamId, d => d with { Status = DreamStatus.Completed, EndedAt = _time.GetUtcNow() }, CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            await run.NoteAsync(DreamStage.Apply, "Stopped: the dream was canceled (or the server is stopping). What it wrote before stays in the output store.", CancellationToken.None);
            if (_options.CancelWhenStopped && cancellationToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                return await _store.UpdateDreamAsync(dreamId, d => d.IsFinal ? null : d with { Status = DreamStatus.Canceled, EndedAt = now }, CancellationToken.None) ?? claimed;
            }

            return await _store.GetDreamAsync(dreamId, CancellationToken.None) ?? claimed;
        }
#pragma warning disable CA1031 // Any failure ends the dream as failed with its reason; the caller gets the dream, not an exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var error = ex switch
            {
                DreamFailedException f => new DreamError(f.Type, f.Message),
                _ => new DreamError("internal_error", $"The dream stopped on an internal error: {ex.Message}"),
            };
            error = error with { Message = SecretScanner.Redact(error.Message) };
            await run.KeepPartialAsync(error);
            return await FinishAsync(dreamId, d => d with { Status = DreamStatus.Failed, Error = error, EndedAt = _time.GetUtcNow() }, CancellationToken.None);
        }
    }

    // Only a running dream moves to a final status; a cancel that came first wins.
    private async Task<Dream> FinishAsync(string dreamId, Func<Dream, Dream> change, CancellationToken cancellationToken) =>
        await _store.UpdateDreamAsync(dreamId, d => d.Status == DreamStatus.Running ? change(d) : null, cancellationToken)
            ?? throw new KeyNotFoundException($"Dream '{dreamId}' does not exist.");

    private sealed class Run(DreamPipeline pipeline, Dream dream, IProgress<DreamProgress>? progress)
    {
        private readonly Dictionary<string, string> _sessionOf = new(StringComparer.Ordinal);
        private readonly List<SessionDigest> _digests = [];
        private DreamJournal? _journal;
        private Dream _dream = dream;
        private DreamReport? _report;
        private IChatClient? _client;
        private bool _applied;

        private ILucidStore Store => pipeline._store;

        private MemoryActor Actor => MemoryActor.Dream(_dream.Id, _journal?.SessionId ?? "");

        public async Task ExecuteAsync(CancellationToken ct)
        {
            var resolved = pipeline._models.Resolve(_dream.Model);
            if (!resolved.IsSuccess)
            {
                throw new DreamFailedException("model_error", resolved.Error.Message);
            }

            _client = resolved.Value;
            _journal = await DreamJournal.CreateAsync(Store, pipeline._events, _dream, pipeline._workRoot, pipeline._time, pipeline._ids, ct);
            await SetAsync(d => d with { SessionId = _journal.SessionId }, ct);
            _report = new DreamReport { Dream = _dream, BudgetBytes = pipeline._options.MemoryBudgetBytes };
            await NoteAsync(DreamStage.Start, $"Dream {_dream.Id} reads memory store {_dream.InputStoreId} and {_dream.SessionIds.Count} sessions with {_dream.Model}.", ct);

            var input = await pipeline._memory.GetStoreAsync(_dream.WorkspaceId, _dream.InputStoreId, ct);
            if (!input.IsSuccess)
            {
                throw new DreamFailedException("input_unavailable", input.Error.Message);
            }

            var inputMemories = await ReadAllAsync(_dream.InputStoreId, ct);
            _report.InputMemories = inputMemories.Count;
            await _journal.ToolAsync("read_memory_store", new JsonObject { ["memory_store_id"] = _dream.InputStoreId },
                Listing(inputMemories), ct);
            var outputId = await OutputStoreAsync(input.Value, inputMemories, ct);
            await SetAsync(d => d with { OutputStoreId = outputId }, ct);
            _report.StagesDone.Add("start");
            await CheckAsync(ct);

            await DigestAsync(ct);
            await CheckAsync(ct);

            var miner = new PatternMiner();
            _digests.ForEach(miner.Add);
            var mining = miner.Build();
            _report.Mining = mining;
            _report.StagesDone.Add("mine");
            await NoteAsync(DreamStage.Mine, string.Create(CultureInfo.InvariantCulture,
                $"Mined {mining.SessionIds.Count} sessions: {mining.PassingSessions} passed, {mining.FailingSessions} failed; {mining.RecurringErrors.Count} recurring errors, {mining.FailureReasons.Count} failure reasons, {mining.Detours.Count} detours.{Top(mining)}"), ct);
            await CheckAsync(ct);

            var snapshot = (await ReadAllAsync(outputId, ct)).ToDictionary(m => m.Path, StringComparer.Ordinal);
            var lessons = await ReflectAsync(mining, snapshot.Values, ct);
            await CheckAsync(ct);

            var plan = await CurateAsync(lessons, snapshot, ct);
            await CheckAsync(ct);

            await ApplyAsync(outputId, plan, ct);
        }

        private async Task<string> OutputStoreAsync(MemoryStore input, IReadOnlyList<MemoryDocument> memories, CancellationToken ct)
        {
            if (_dream.OutputBehavior == DreamOutputBehavior.UpdateExisting)
            {
                return input.Id;
            }

            var created = await pipeline._memory.CreateStoreAsync(
                _dream.WorkspaceId,
                Limit($"{input.Name} (dream {_dream.Id})", MemoryService.MaxNameLength),
                Limit($"Written by dream {_dream.Id} from a copy of {input.Id}. {input.Description}", MemoryService.MaxDescriptionLength),
                new Dictionary<string, string> { [DreamJournal.DreamIdKey] = _dream.Id, ["lucid.dream_input_store_id"] = input.Id },
                ct);
            if (!created.IsSuccess)
            {
                throw new DreamFailedException("internal_error", created.Error.Message);
            }

            // The copy is the input as it was; a secret in it is reported (by kind, never by value), not silently carried.
            _report!.CopiedSecrets = [.. memories
                .Select(m => (m.Path, Kinds: SecretScanner.Find($"{m.Path}\n{m.Content}")))
                .Where(m => m.Kinds.Count > 0)
                .Select(m => $"`{SecretScanner.Redact(m.Path)}`: {string.Join(", ", m.Kinds)}")];
            if (memories.Count > 0)
            {
                var copied = await pipeline._memory.ApplyEditsAsync(_dream.WorkspaceId, created.Value.Id, [.. memories.Select(m => MemoryEdit.Create(m.Path, m.Content ?? ""))], Actor, ct);
                if (!copied.IsSuccess)
                {
                    throw new DreamFailedException("internal_error", $"Copying the input store failed: {copied.Error.Message}");
                }
            }

            await _journal!.ToolAsync("create_memory_store", new JsonObject { ["copy_of"] = input.Id },
                string.Create(CultureInfo.InvariantCulture, $"Created memory store {created.Value.Id} as a copy of {input.Id} ({memories.Count} memories{(_report.CopiedSecrets.Count > 0 ? $"; {_report.CopiedSecrets.Count} of them look like they hold a secret, listed in the report" : "")})."), ct);
            return created.Value.Id;
        }

        private async Task DigestAsync(CancellationToken ct)
        {
            var lines = new StringBuilder();
            long events = 0;
            foreach (var id in _dream.SessionIds)
            {
                var session = await Store.GetSessionAsync(id, ct);
                if (session is null || session.WorkspaceId != _dream.WorkspaceId)
                {
                    throw new DreamFailedException("input_unavailable", $"Session '{id}' no longer exists.");
                }

                var digest = await SessionDigester.DigestAsync(Store, session, ct, logged => _sessionOf[logged.Event.Id] = id);
                _digests.Add(digest);
                events += digest.EventCount;
                lines.Append(CultureInfo.InvariantCulture, $"{id}: {digest.EventCount} events, outcome {digest.FinalResult ?? "none"}, {digest.ToolErrors.Count} tool errors\n");
            }

            _report!.Events = events;
            _report.StagesDone.Add("digest");
            await _journal!.ToolAsync("read_sessions", new JsonObject { ["session_ids"] = new JsonArray([.. _dream.SessionIds.Select(s => JsonValue.Create(s))]) }, lines.ToString(), ct);
            await NoteAsync(DreamStage.Digest, string.Create(CultureInfo.InvariantCulture, $"Digested {_digests.Count} sessions ({events} events)."), ct);
        }

        private async Task<IReadOnlyList<DreamLesson>> ReflectAsync(MiningReport mining, IEnumerable<MemoryDocument> memories, CancellationToken ct)
        {
            var prompt = new StringBuilder();
            if (_dream.Instructions is { } instructions)
            {
                prompt.Append("# Instructions from the person who started this dream\n").Append(instructions).Append("\n\n");
            }

            prompt.Append("# Patterns mined across the sessions (JSON, with counts and the session and event IDs)\n");
            prompt.Append(JsonSerializer.Serialize(mining, LucidJsonContext.Default.MiningReport)).Append("\n\n# Session digests\n");
            var digests = new StringBuilder();
            foreach (var digest in _digests)
            {
                var text = DigestText.Render(digest);
                if (digests.Length + text.Length > pipeline._options.MaxDigestCharacters)
                {
                    digests.Append(CultureInfo.InvariantCulture, $"(… {_digests.Count - _digests.IndexOf(digest)} more sessions left out for length; the patterns above count them.)\n");
                    break;
                }

                digests.Append(text).Append('\n');
            }

            prompt.Append(digests).Append("\n# The memory store now\n").Append(Memories(memories));
            IReadOnlyList<DreamLesson>? lessons = null;
            string? problem = null;
            for (var attempt = 0; attempt < 2 && lessons is null; attempt++)
            {
                var reply = await AskAsync(DreamStage.Reflect, DreamPrompts.ReflectInstructions, prompt.ToString(), DreamPrompts.ReflectSchema, "dream_lessons", problem, ct);
                lessons = DreamPrompts.ParseLessons(reply, out problem);
            }

            if (lessons is null)
            {
                throw new DreamFailedException("invalid_model_output", $"The model's candidate lessons were not valid JSON for the schema, twice: {problem}");
            }

            var kept = new List<DreamLesson>();
            var dropped = new List<string>();
            foreach (var lesson in lessons)
            {
                var known = lesson.EventIds.Where(_sessionOf.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
                if (known.Count == 0)
                {
                    dropped.Add($"\"{lesson.Title.ReplaceLineEndings(" ")}\" cited no event of the input sessions");
                    continue;
                }

                kept.Add(lesson with { EventIds = known });
            }

            _report!.Lessons = kept;
            _report.DroppedLessons = dropped;
            _report.StagesDone.Add("reflect");
            await NoteAsync(DreamStage.Reflect, string.Create(CultureInfo.InvariantCulture,
                $"{kept.Count} candidate lessons{(dropped.Count > 0 ? $" ({dropped.Count} dropped for citing no event of the input sessions)" : "")}:\n{string.Join("\n", kept.Select(l => $"- {l.Title} [{string.Join(", ", l.EventIds)}]"))}"), ct);
            return kept;
        }

        private async Task<DreamCuration.Plan> CurateAsync(IReadOnlyList<DreamLesson> lessons, Dictionary<string, MemoryDocument> snapshot, CancellationToken ct)
        {
            var budget = pipeline._options.MemoryBudgetBytes;
            var current = snapshot.Values.Where(m => !m.Path.StartsWith(DreamCuration.ReportsPrefix, StringComparison.Ordinal)).Sum(m => (long)m.ContentSizeBytes);
            var prompt = new StringBuilder();
            if (_dream.Instructions is { } instructions)
            {
                prompt.Append("# Instructions from the person who started this dream\n").Append(instructions).Append("\n\n");
            }

            prompt.Append(CultureInfo.InvariantCulture, $"# Budget\nThe store may hold at most {budget:N0} bytes of memories (reports under /dreams/ are not counted); it holds {current:N0} now. A lesson as written takes about its title, when and do plus ~200 bytes of evidence.\n\n");
            prompt.Append("# Candidate lessons\n");
            foreach (var lesson in lessons)
            {
                prompt.Append(CultureInfo.InvariantCulture, $"- {lesson.Title}\n  when: {lesson.When}\n  do: {lesson.Do}\n  evidence: {string.Join(", ", lesson.EventIds)}\n");
            }

            prompt.Append("\n# The memory store now\n").Append(Memories(snapshot.Values));
            string? feedback = null;
            var attempts = Math.Max(1, pipeline._options.MaxCurateAttempts);
            DreamCuration.Plan? last = null;
            for (var attempt = 1; attempt <= attempts; attempt++)
            {
                var reply = await AskAsync(DreamStage.Curate, DreamPrompts.CurateInstructions, prompt.ToString(), DreamPrompts.CurateSchema, "dream_operations", feedback, ct);
                var operations = DreamPrompts.ParseOperations(reply, out var problem);
                if (operations is null)
                {
                    feedback = $"Your reply was not valid: {problem}.";
                    _report!.RejectedAttempts.Add($"Attempt {attempt}: {feedback}");
                    await NoteAsync(DreamStage.Curate, $"Curation attempt {attempt} rejected: {feedback}", ct);
                    continue;
                }

                last = DreamCuration.Check(operations, snapshot, _sessionOf, _dream.SessionIds.Count, _dream.Id, budget);
                if (last.Problems.Count == 0)
                {
                    _report!.Changes = last.Changes;
                    _report.Refused = last.Refused;
                    _report.ResultBytes = last.ResultBytes;
                    _report.StagesDone.Add("curate");
                    await NoteAsync(DreamStage.Curate, string.Create(CultureInfo.InvariantCulture,
                        $"Curation attempt {attempt} accepted: {string.Join(", ", last.Changes.Select(c => $"{c.Op} {c.Path}"))}{(last.Changes.Count == 0 ? "no changes" : "")}; {last.ResultBytes:N0} of {budget:N0} bytes.{(last.Refused.Count > 0 ? "\n" + string.Join("\n", last.Refused) : "")}"), ct);
                    return last;
                }

                feedback = "Your operations were rejected; nothing was written. Fix these problems and send the whole list again:\n- " + string.Join("\n- ", last.Problems);
                _report!.RejectedAttempts.Add($"Attempt {attempt}: {string.Join(" ", last.Problems)}");
                await NoteAsync(DreamStage.Curate, $"Curation attempt {attempt} rejected:\n- {string.Join("\n- ", last.Problems)}", ct);
            }

            throw last is { OverBudget: true }
                ? new DreamFailedException("memory_budget_exceeded", string.Create(CultureInfo.InvariantCulture, $"Curation stayed over the memory budget of {budget:N0} bytes after {attempts} attempts; nothing was cut to fit and no lesson was written."))
                : new DreamFailedException("invalid_model_output", $"Curation produced no valid operations after {attempts} attempts; no lesson was written. Last problems: {(last is null ? "the replies were not valid JSON" : string.Join(" ", last.Problems))}");
        }

        private async Task ApplyAsync(string outputId, DreamCuration.Plan plan, CancellationToken ct)
        {
            _report!.StagesDone.Add("apply");
            _dream = await Store.GetDreamAsync(_dream.Id, ct) ?? _dream;
            _report.Dream = _dream with { OutputStoreId = outputId };
            var content = _report.Render(null);
            var edits = plan.Edits.Append(MemoryEdit.Create(DreamReport.PathOf(_dream.Id), content)).ToList();
            var applied = await pipeline._memory.ApplyEditsAsync(_dream.WorkspaceId, outputId, edits, Actor, ct);
            if (!applied.IsSuccess)
            {
                _report.StagesDone.Remove("apply");
                throw new DreamFailedException("memory_write_failed", $"The edits could not be applied, so none were: {applied.Error.Message}");
            }

            _applied = true;

            // The edits are committed: the dream has done its work, so neither a cancel nor a journal error may undo that.
            try
            {
                for (var i = 0; i < edits.Count; i++)
                {
                    var written = applied.Value[i];
                    await _journal!.ToolAsync("write_memory",
                        new JsonObject { ["memory_store_id"] = outputId, ["operation"] = edits[i].Kind.ToString().ToLowerInvariant(), ["path"] = edits[i].Path, ["expected_sha256"] = edits[i].ExpectedSha256 },
                        written is null ? $"Deleted {edits[i].Path} (its earlier versions stay in the history)." : $"Wrote {written.Path}: version {written.VersionId}, sha256 {written.ContentSha256}.", CancellationToken.None);
                }

                await NoteAsync(DreamStage.Apply, $"Applied {plan.Edits.Count} edits to {outputId} and wrote the report {DreamReport.PathOf(_dream.Id)}.", CancellationToken.None);
            }
#pragma warning disable CA1031 // Journaling after the commit is best effort; the memory versions already name the dream.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        /// <summary>After a failure: records it in the session and, when there is an output store, writes what was done as the report.</summary>
        public async Task KeepPartialAsync(DreamError error)
        {
            var ct = CancellationToken.None;
            try
            {
                await NoteAsync(DreamStage.Apply, $"Failed ({error.Type}): {error.Message}", ct);
                var current = await Store.GetDreamAsync(_dream.Id, ct);
                if (_report is null || current?.OutputStoreId is not { } outputId)
                {
                    return;
                }

                _report.Dream = current;
                if (!_applied)
                {
                    _report.Changes = [];
                }

                var written = await pipeline._memory.WriteAtPathAsync(_dream.WorkspaceId, outputId, DreamReport.PathOf(_dream.Id), _report.Render(error), null, Actor, ct);
                if (written.IsSuccess)
                {
                    await _journal!.ToolAsync("write_memory", new JsonObject { ["memory_store_id"] = outputId, ["path"] = written.Value.Path },
                        $"Wrote the report of the failed dream: version {written.Value.VersionId}.", ct);
                }
            }
#pragma warning disable CA1031 // Keeping partial progress is best effort; the dream still ends failed with its first error.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        public async Task NoteAsync(DreamStage stage, string text, CancellationToken ct)
        {
            progress?.Report(new DreamProgress(stage, text));
            if (_journal is not null)
            {
                await _journal.MessageAsync($"[{stage.ToWire()}] {text}", ct);
            }
        }

        private async Task<string> AskAsync(DreamStage stage, string system, string prompt, JsonElement schema, string schemaName, string? feedback, CancellationToken ct)
        {
            var messages = new List<ChatMessage> { new(ChatRole.System, system), new(ChatRole.User, SecretScanner.Redact(prompt)) };
            if (feedback is not null)
            {
                messages.Add(new ChatMessage(ChatRole.User, SecretScanner.Redact(feedback)));
            }

            var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, schemaName) };
            var start = await _journal!.ModelStartAsync(_dream.Model, ct);
            ChatResponse response;
            try
            {
                response = await _client!.GetResponseAsync(messages, options, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await _journal.ModelEndAsync(start, SessionUsage.Zero, true, CancellationToken.None);
                throw;
            }
#pragma warning disable CA1031 // Every model failure becomes the dream's error, named after its stage.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await _journal.ModelEndAsync(start, SessionUsage.Zero, true, CancellationToken.None);
                var type = ex is ModelRequestException { Kind: ModelErrorKind.RateLimited } ? "rate_limited"
                    : ex is ModelRequestException { Kind: ModelErrorKind.Overloaded } ? "overloaded" : "model_error";
                throw new DreamFailedException(type, $"The model request of the {stage.ToWire()} stage failed: {ex.Message}", ex);
            }

            var usage = SessionUsage.FromModel(response.Usage);
            await _journal.ModelEndAsync(start, usage, false, CancellationToken.None);
            _dream = await Store.UpdateDreamAsync(_dream.Id, d => d with { Usage = d.Usage.Add(usage) }, CancellationToken.None) ?? _dream;
            return response.Text;
        }

        private async Task CheckAsync(CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            var current = await Store.GetDreamAsync(_dream.Id, ct);
            if (current is null || current.Status != DreamStatus.Running)
            {
                throw new OperationCanceledException($"Dream '{_dream.Id}' is no longer running.");
            }
        }

        private async Task SetAsync(Func<Dream, Dream> change, CancellationToken ct) =>
            _dream = await Store.UpdateDreamAsync(_dream.Id, change, ct) ?? _dream;

        private async Task<IReadOnlyList<MemoryDocument>> ReadAllAsync(string storeId, CancellationToken ct)
        {
            var all = await pipeline._memory.ReadAllAsync(_dream.WorkspaceId, storeId, "/", includeContent: true, ct);
            return all.IsSuccess ? all.Value : throw new DreamFailedException("input_unavailable", all.Error.Message);
        }

        private static string Listing(IReadOnlyList<MemoryDocument> memories) =>
            memories.Count == 0 ? "The store is empty." : string.Join("\n", memories.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Path} ({m.ContentSizeBytes} bytes, sha256 {m.ContentSha256[..12]}…, version {m.VersionId})")));

        private static string Memories(IEnumerable<MemoryDocument> memories)
        {
            var text = new StringBuilder();
            foreach (var memory in memories.Where(m => !m.Path.StartsWith(DreamCuration.ReportsPrefix, StringComparison.Ordinal)))
            {
                text.Append(CultureInfo.InvariantCulture, $"## {memory.Path} (sha256 {memory.ContentSha256}, {memory.ContentSizeBytes} bytes)\n{memory.Content}\n\n");
            }

            return text.Length == 0 ? "(empty)\n" : text.ToString();
        }

        private static string Top(MiningReport mining) =>
            mining.RecurringErrors.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                $" Top: {mining.RecurringErrors[0].Tool} \"{mining.RecurringErrors[0].Signature}\" in {mining.RecurringErrors[0].Sessions} sessions.");

        private static string Limit(string text, int max) => text.Length <= max ? text : text[..max];
    }

}
