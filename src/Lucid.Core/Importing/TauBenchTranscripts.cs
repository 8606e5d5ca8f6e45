using System.Globalization;
using System.Text;
using System.Text.Json;
using Lucid.Events;
using Lucid.Ids;
using Lucid.Outcomes;

namespace Lucid.Importing;

/// <summary>
/// Converts a τ-bench trajectory (<c>task_id</c>, <c>trial</c>, <c>reward</c>, <c>info</c>, <c>traj</c>) to session
/// events: <c>user.define_outcome</c> (the task instruction, with the expected actions as the rubric), the instruction
/// as the first <c>user.message</c>, the trajectory's messages as in <see cref="OpenAIChatTranscripts"/> (its system
/// message, the policy, becomes the agent's system prompt), then one evaluation: <c>span.outcome_evaluation_start</c>
/// and <c>span.outcome_evaluation_end</c> whose result is <c>satisfied</c> when <c>reward</c> is 1 and <c>failed</c>
/// otherwise, whose explanation is <c>reward_info</c>, and whose findings are its <c>r_*</c> scores (met when 1).
/// </summary>
internal sealed class TauBenchTranscripts(IdGenerator ids)
{
    private readonly OpenAIChatTranscripts _chat = new(ids);

    public Transcript Convert(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new MalformedTranscriptException("expected a trajectory object");
        }

        if (!record.TryGetProperty("traj", out var traj) || traj.ValueKind != JsonValueKind.Array)
        {
            throw new MalformedTranscriptException("\"traj\" is missing or not an array of messages");
        }

        if (!record.TryGetProperty("reward", out var rewardElement) || rewardElement.ValueKind != JsonValueKind.Number)
        {
            throw new MalformedTranscriptException("\"reward\" is missing or not a number");
        }

        var reward = rewardElement.GetDouble();
        var info = record.TryGetProperty("info", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
        var task = info.ValueKind == JsonValueKind.Object && info.TryGetProperty("task", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
        var knownTaskId = record.TryGetProperty("task_id", out var id) ? id.ToString() : null;
        var taskId = knownTaskId ?? "?";
        var trial = record.TryGetProperty("trial", out var tr) ? tr.ToString() : "?";
        var instruction = task.ValueKind == JsonValueKind.Object && task.TryGetProperty("instruction", out var ins) && ins.ValueKind == JsonValueKind.String ? ins.GetString() : null;

        var outcomeId = ids.NewId(IdPrefixes.Outcome);
        var events = new List<SessionEvent>
        {
            new UserDefineOutcomeEvent
            {
                Id = ids.NewId(IdPrefixes.Event),
                OutcomeId = outcomeId,
                Description = instruction ?? $"τ-bench task {taskId}",
                Rubric = OutcomeRubric.Text(Rubric(task)),
                MaxIterations = 1,
            },
        };
        if (instruction is not null)
        {
            events.Add(new UserMessageEvent { Id = ids.NewId(IdPrefixes.Event), Content = [new TextBlock(instruction)] });
        }

        var system = _chat.ConvertMessages(traj, events);
        var start = new SpanOutcomeEvaluationStartEvent { Id = ids.NewId(IdPrefixes.Event), OutcomeId = outcomeId, Iteration = 0 };
        var rewardInfo = info.ValueKind == JsonValueKind.Object && info.TryGetProperty("reward_info", out var ri) && ri.ValueKind == JsonValueKind.Object ? ri : default;
        events.Add(start);
        events.Add(new SpanOutcomeEvaluationEndEvent
        {
            Id = ids.NewId(IdPrefixes.Event),
            OutcomeId = outcomeId,
            OutcomeEvaluationStartId = start.Id,
            Iteration = 0,
            Result = reward >= 1 ? OutcomeResult.Satisfied : OutcomeResult.Failed,
            Explanation = rewardInfo.ValueKind == JsonValueKind.Object
                ? rewardInfo.GetRawText()
                : string.Create(CultureInfo.InvariantCulture, $"reward {reward}; the trajectory has no reward_info"),
            Findings = Findings(rewardInfo),
        });

        return new Transcript
        {
            SystemPrompt = system,
            Events = events,
            Title = $"τ-bench task {taskId}, trial {trial}",
            Metadata = WithTask(new Dictionary<string, string>
            {
                ["tau_bench.task_id"] = taskId,
                ["tau_bench.trial"] = trial,
                ["tau_bench.reward"] = reward.ToString(CultureInfo.InvariantCulture),
            }, knownTaskId),
        };
    }

    // The record's task under Lucid's own key too, so mining and dreams count tasks; none when the record names none.
    private static Dictionary<string, string> WithTask(Dictionary<string, string> metadata, string? taskId)
    {
        if (taskId is not null)
        {
            metadata[Sessions.SessionTasks.TaskIdKey] = taskId;
        }

        return metadata;
    }

    // The grader's criteria: the expected actions (write calls whose effect on the database is compared) and outputs.
    private static string Rubric(JsonElement task)
    {
        var text = new StringBuilder("τ-bench reward: 1 when the database after the conversation equals the one the expected actions produce, and every expected output was told to the user.\n");
        if (task.ValueKind == JsonValueKind.Object && task.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
        {
            text.Append("Expected actions:\n");
            foreach (var action in actions.EnumerateArray())
            {
                var name = action.TryGetProperty("name", out var n) ? n.ToString() : "?";
                var kwargs = action.TryGetProperty("kwargs", out var k) ? k.GetRawText() : "{}";
                text.Append("- ").Append(name).Append(' ').Append(kwargs).Append('\n');
            }
        }

        if (task.ValueKind == JsonValueKind.Object && task.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array && outputs.GetArrayLength() > 0)
        {
            text.Append("Expected outputs: ").Append(outputs.GetRawText()).Append('\n');
        }

        return text.ToString();
    }

    private static List<OutcomeFinding>? Findings(JsonElement rewardInfo)
    {
        if (rewardInfo.ValueKind != JsonValueKind.Object || !rewardInfo.TryGetProperty("info", out var scores) || scores.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var findings = new List<OutcomeFinding>();
        foreach (var score in scores.EnumerateObject())
        {
            if (score.Name.StartsWith("r_", StringComparison.Ordinal) && score.Value.ValueKind == JsonValueKind.Number)
            {
                var value = score.Value.GetDouble();
                var evidence = string.Create(CultureInfo.InvariantCulture, $"{score.Name} = {value}");
                if (score.Name == "r_outputs" && scores.TryGetProperty("outputs", out var outputs))
                {
                    evidence += "; outputs given: " + outputs.GetRawText();
                }

                findings.Add(new OutcomeFinding(score.Name, evidence, value >= 1, ""));
            }
        }

        return findings.Count == 0 ? null : findings;
    }
}
