using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Evals;
using Lucid.Json;
using Lucid.Outcomes;
using Lucid.Server.Http;

namespace Lucid.Server.Evals;

/// <summary>The wire shape of an eval run: <c>{"type":"eval_run", …}</c>; its report is the shape <c>lucid eval --json</c> prints.</summary>
internal static class EvalWire
{
    public static JsonObject ToJson(EvalRun run, bool withTrials)
    {
        var json = new JsonObject
        {
            ["type"] = "eval_run",
            ["id"] = run.Id,
            ["name"] = run.Suite.Name,
            ["status"] = run.Status.ToWire(),
            ["agent_id"] = run.AgentId,
            ["environment_id"] = run.EnvironmentId,
            ["arms"] = new JsonArray([.. run.Suite.Arms.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["kind"] = a.Kind.ToWire(),
                ["memory_store_id"] = run.ArmStores.GetValueOrDefault(a.Name),
            })]),
            ["task_ids"] = new JsonArray([.. run.Suite.Tasks.Select(t => (JsonNode)t.Id)]),
            ["trials_per_task"] = run.Suite.Trials,
            ["total_trials"] = run.TotalTrials,
            ["finished_trials"] = run.Trials.Count,
            ["validates_dream_id"] = run.ValidatesDreamId,
        };
        if (withTrials)
        {
            json["trials"] = new JsonArray([.. run.Trials.Select(t => (JsonNode)new JsonObject
            {
                ["arm"] = t.Arm,
                ["task_id"] = t.TaskId,
                ["trial"] = t.Trial,
                ["session_id"] = t.SessionId,
                ["result"] = t.Result.ToWire(),
                ["passed"] = t.Passed,
                ["usage"] = Wire.Usage(t.Usage),
                ["error"] = t.Error,
            })]);
        }

        json["report"] = run.Report is null ? null : JsonSerializer.SerializeToNode(run.Report, LucidJsonContext.Default.EvalReport);
        json["error"] = run.Error;
        json["created_at"] = Wire.Time(run.CreatedAt);
        json["ended_at"] = Wire.Time(run.EndedAt);
        return json;
    }
}
