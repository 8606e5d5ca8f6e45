using System.Text.Json;
using Lucid.Events;
using Lucid.Permissions;

namespace Lucid.Core.Tests.Permissions;

public sealed class ReviewPromptTests
{
    [Theory]
    [InlineData("""{"reason":"Listing files is part of the task.","decision":"allow"}""", "allow", null, "Listing files is part of the task.")]
    [InlineData("""{"reason":"It deletes the repository.","decision":"deny"}""", "deny", "high_risk", "It deletes the repository.")]
    [InlineData("""{"reason":"Whether the user wants the draft sent is unclear.","decision":"ask"}""", "ask", "indeterminate", "Whether the user wants the draft sent is unclear.")]
    [InlineData("```json\n{\"decision\":\"allow\",\"reason\":\"Harmless.\"}\n```", "allow", null, "Harmless.")]
    public void Parse_a_reason_and_a_decision_gives_the_judgement(string answer, string type, string? reasonCode, string reason)
    {
        var judgement = ReviewPrompt.Parse(answer);

        Assert.Equal((type, reasonCode, reason), (judgement.Type, judgement.ReasonCode, judgement.Reason));
    }

    [Theory]
    [InlineData("Sure, that looks fine.", "it is not JSON")]
    [InlineData("""["allow"]""", "it is not a JSON object")]
    [InlineData("""{"decision":"allow"}""", "it needs a reason")]
    [InlineData("""{"reason":"  ","decision":"allow"}""", "it needs a reason")]
    [InlineData("""{"reason":"ok","decision":"yes"}""", "its decision must be allow, deny or ask")]
    [InlineData("""{"reason":"ok","decision":true}""", "it needs a decision")]
    [InlineData("""{"reason":"ok"}""", "it needs a decision")]
    [InlineData("""{"reason":"ok","decision":"allow","confidence":0.2}""", "it has a field 'confidence'")]
    public void Parse_anything_else_denies_as_indeterminate_naming_the_problem(string answer, string problem)
    {
        var judgement = ReviewPrompt.Parse(answer);

        Assert.Equal((ToolPermissions.Deny, AutoJudgement.Indeterminate), (judgement.Type, judgement.ReasonCode));
        Assert.True(judgement.Denies);
        Assert.Contains(problem, judgement.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_shows_the_instructions_the_task_and_the_call_in_a_fresh_context()
    {
        using var input = JsonDocument.Parse("""{"command":"rm -rf /workspace"}""");
        var call = new ToolCallReview("bash", null, input.RootElement, "Never delete files.", ["Tidy the notes.", "Then list them."]);

        var messages = ReviewPrompt.Request(call);

        Assert.Equal(2, messages.Count);
        Assert.Equal(ReviewPrompt.Instructions, messages[0].Text);
        var text = messages[1].Text;
        Assert.Contains("Never delete files.", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("Tidy the notes.", StringComparison.Ordinal) < text.IndexOf("Then list them.", StringComparison.Ordinal));
        Assert.Contains("Tool: bash\n", text, StringComparison.Ordinal);
        Assert.Contains("""{"command":"rm -rf /workspace"}""", text, StringComparison.Ordinal);
    }
}
