using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lucid.Dreams.Validation;
using Lucid.Server.Http;

namespace Lucid.Server.Dreams;

/// <summary>
/// The Lucid extension <c>validation</c> on a dream: in a create request, the settings of lesson validation by replay;
/// on a dream, those settings with the trials planned and each lesson's measured lift.
/// </summary>
internal static class DreamValidationWire
{
    public static JsonObject Validation(DreamValidation validation) => new()
    {
        ["trials"] = validation.Trials,
        ["unrelated_tasks"] = validation.UnrelatedTasks,
        ["min_lift"] = validation.MinLift,
        ["max_trials"] = validation.MaxTrials,
        ["planned_trials"] = validation.PlannedTrials,
        ["lessons"] = new JsonArray([.. validation.Lessons.Select(Lesson)]),
    };

    /// <summary>The <c>validation</c> object of a create request: absent or null for none, <c>{}</c> for the defaults.</summary>
    public static DreamValidation? Request(WireObject body)
    {
        if (body.Object("validation") is not { } wire)
        {
            return null;
        }

        var validation = new DreamValidation
        {
            Trials = wire.Int("trials", 1, DreamValidation.MostTrials) ?? DreamValidation.DefaultTrials,
            UnrelatedTasks = wire.Int("unrelated_tasks", 0, DreamValidation.MostUnrelatedTasks) ?? DreamValidation.DefaultUnrelatedTasks,
            MinLift = MinLift(wire),
            MaxTrials = wire.Int("max_trials", 1, DreamValidation.MostMaxTrials) ?? DreamValidation.DefaultMaxTrials,
        };
        foreach (var property in wire.Element.EnumerateObject().Where(p => p.Name is not ("trials" or "unrelated_tasks" or "min_lift" or "max_trials")))
        {
            throw RequestException.Invalid(wire.PathOf(property.Name), $"{wire.PathOf(property.Name)} is not a field of validation; it takes trials, unrelated_tasks, min_lift and max_trials.");
        }

        return validation;
    }

    private static double MinLift(WireObject wire)
    {
        if (!wire.TryGet("min_lift", out var value))
        {
            return 0;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var lift) && lift is >= -1 and <= 1
            ? lift
            : throw RequestException.Invalid(wire.PathOf("min_lift"), $"{wire.PathOf("min_lift")} must be a number from -1 to 1, not {WireObject.Describe(value)}.");
    }

    private static JsonObject Lesson(LessonLift lift) => new()
    {
        ["path"] = lift.Path,
        ["supporting_tasks"] = new JsonArray([.. lift.SupportingTasks.Select(t => JsonValue.Create(t))]),
        ["unrelated_tasks"] = new JsonArray([.. lift.UnrelatedTasks.Select(t => JsonValue.Create(t))]),
        ["eval_run_id"] = lift.EvalRunId,
        ["trials"] = lift.Trials,
        ["passed_with"] = lift.PassedWith,
        ["passed_without"] = lift.PassedWithout,
        ["lift"] = lift.Lift,
        ["supporting_lift"] = lift.SupportingLift,
        ["unrelated_lift"] = lift.UnrelatedLift,
        ["p_value"] = lift.PValue,
        ["kept"] = lift.Kept,
        ["note"] = lift.Note,
    };
}
