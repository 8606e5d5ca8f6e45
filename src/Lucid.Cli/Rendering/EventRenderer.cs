using System.Globalization;
using System.Text.Json;
using Lucid.Events;
using Lucid.Outcomes;
using Lucid.Sessions;
using Spectre.Console;

namespace Lucid.Cli.Rendering;

/// <summary>
/// Renders session events for people: messages in full, tool calls with their results folded to a few lines. Given
/// previews, an agent message is written as it arrives, and its committed event then only ends the line.
/// </summary>
internal sealed class EventRenderer(IAnsiConsole console, bool showStatus)
{
    private const int FoldedLines = 6;
    private readonly System.Text.StringBuilder _previewed = new();
    private string? _previewing;
    private LoggedEvent? _heldEnd;

    /// <summary>Writes a preview: an agent message's line opens at its start and grows with each delta.</summary>
    public void Render(EventPreview preview)
    {
        switch (preview)
        {
            case EventPreviewStart { EventType: "agent.message" } start:
                EndPreview();
                _previewing = start.EventId;
                console.Markup("[bold green]agent[/] ");
                break;
            case EventPreviewDelta delta when delta.EventId == _previewing:
                console.Write(delta.Text);
                _previewed.Append(delta.Text);
                break;
        }
    }

    /// <summary>Writes one event; events with nothing to say for people write nothing.</summary>
    public void Render(LoggedEvent logged)
    {
        if (_previewing is not null)
        {
            switch (logged.Event)
            {
                case AgentMessageEvent m when m.Id == _previewing && Text(m.Content) is var text && text.StartsWith(_previewed.ToString(), StringComparison.Ordinal):
                    // The line already shows the message as far as its preview went: the rest, if it ended early, ends it.
                    console.WriteLine(text[_previewed.Length..]);
                    Reset();
                    return;
                case SpanModelRequestEndEvent { IsError: false }:
                    // The request's message follows in the same commit: its end is shown after the message's line.
                    _heldEnd = logged;
                    return;
                default:
                    EndPreview();
                    break;
            }
        }

        RenderCommitted(logged);
    }

    // A preview left open (its request failed, or another preview began) ends its line; what it held back follows.
    private void EndPreview()
    {
        if (_previewing is not null)
        {
            console.WriteLine();
            Reset();
        }
    }

    private void Reset()
    {
        _previewing = null;
        _previewed.Clear();
        if (_heldEnd is { } end)
        {
            _heldEnd = null;
            RenderCommitted(end);
        }
    }

    private void RenderCommitted(LoggedEvent logged)
    {
        switch (logged.Event)
        {
            case UserMessageEvent m:
                Line("[bold blue]you[/]", Text(m.Content));
                break;
            case AgentMessageEvent m:
                Line("[bold green]agent[/]", Text(m.Content));
                break;
            case AgentThinkingEvent { Text: { } thinking }:
                console.MarkupLine($"[grey italic]{Markup.Escape(thinking)}[/]");
                break;
            case AgentToolUseEvent use:
                var permission = use.EvaluatedPermission == ToolPermissions.Allow ? "" : $" [grey]({use.EvaluatedPermission})[/]";
                console.MarkupLine($"[yellow]▸ {Markup.Escape(use.Name)}[/] {Markup.Escape(Summarize(use.Name, use.Input))}{permission}");
                break;
            case AgentMcpToolUseEvent use:
                var asked = use.EvaluatedPermission == ToolPermissions.Allow ? "" : $" [grey]({use.EvaluatedPermission})[/]";
                console.MarkupLine($"[yellow]▸ {Markup.Escape(use.McpServerName)}/{Markup.Escape(use.Name)}[/] [grey](mcp)[/] {Markup.Escape(Summarize(use.Name, use.Input))}{asked}");
                break;
            case AgentMcpToolResultEvent result:
                Fold(Text(result.Content), result.IsError);
                break;
            case AgentCustomToolUseEvent use:
                console.MarkupLine($"[yellow]▸ {Markup.Escape(use.Name)}[/] [grey](custom)[/] {Markup.Escape(Summarize(use.Name, use.Input))}");
                break;
            case AgentToolResultEvent result:
                Fold(Text(result.Content), result.IsError);
                break;
            case UserCustomToolResultEvent result:
                Fold(Text(result.Content), result.IsError);
                break;
            case UserToolConfirmationEvent confirmation:
                console.MarkupLine(confirmation.Result == ToolConfirmationResult.Allow
                    ? "  [grey]allowed by the user[/]"
                    : $"  [grey]denied by the user{Markup.Escape(confirmation.DenyMessage is null ? "" : ": " + confirmation.DenyMessage)}[/]");
                break;
            case UserDefineOutcomeEvent outcome:
                Line("[bold blue]you[/] [grey](outcome, up to " + outcome.MaxIterations + " evaluations)[/]", outcome.Description);
                break;
            case SpanOutcomeEvaluationStartEvent start:
                console.MarkupLine($"[blue]◆ grading against the rubric, evaluation {start.Iteration + 1}[/]");
                break;
            case SpanOutcomeEvaluationEndEvent end:
                RenderVerdict(end);
                break;
            case UserInterruptEvent:
                console.MarkupLine("[grey]interrupted by the user[/]");
                break;
            case AgentThreadContextCompactedEvent compacted:
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"[blue]◆ context compacted[/] [grey]{compacted.CompactedMessages} earlier messages summarized, ~{compacted.TokensBefore:N0} → ~{compacted.TokensAfter:N0} tokens[/]"));
                break;
            case SessionErrorEvent error:
                console.MarkupLine($"[red]error[/] [grey]{Markup.Escape(error.Error.Type)}[/] {Markup.Escape(error.Error.Message)}");
                break;
            case SessionThreadCreatedEvent created:
                console.MarkupLine($"[magenta]⇉ thread {Markup.Escape(created.AgentName)}[/] [grey]{Markup.Escape(created.SessionThreadId)}[/]");
                break;
            case AgentThreadMessageSentEvent sent:
                Line($"[magenta]→ {Markup.Escape(sent.ToAgentName ?? "lead")}[/]", Text(sent.Content));
                break;
            case SessionThreadStatusIdleEvent idle:
                console.MarkupLine($"[grey]  thread {Markup.Escape(idle.AgentName)} idle ({Markup.Escape(idle.StopReason.Type)})[/]");
                break;
            case SessionThreadStatusTerminatedEvent terminated:
                console.MarkupLine($"[grey]  thread {Markup.Escape(terminated.AgentName)} terminated[/]");
                break;
            case SpanModelRequestEndEvent end when showStatus:
                console.MarkupLine($"[grey]  model request: {Tokens(end.ModelUsage)}{(end.IsError ? ", failed" : "")}[/]");
                break;
            case SessionUsageEvent usage when showStatus:
                console.MarkupLine($"[grey]  session so far: {Markup.Escape(Cost(usage))}[/]");
                break;
            case SessionStatusIdleEvent { StopReason.Type: "budget_reached" }:
                console.MarkupLine("[yellow]stopped: the session reached its budget; raise it to go on[/]");
                break;
            case SessionStatusIdleEvent idle when showStatus:
                console.MarkupLine($"[grey]— idle ({Markup.Escape(idle.StopReason.Type)})[/]");
                break;
            case SessionStatusRunningEvent when showStatus:
                console.MarkupLine("[grey]— running[/]");
                break;
            case SessionUpdatedEvent updated when showStatus:
                console.MarkupLine($"[grey]— updated: {Markup.Escape(Changes(updated))}[/]");
                break;
        }
    }

    // The fields an update changed, with the new title and budget.
    private static string Changes(SessionUpdatedEvent e)
    {
        var changes = new List<string>();
        if (e.Title.IsChanged)
        {
            changes.Add(e.Title.Value is { } title ? $"title \"{title}\"" : "title removed");
        }

        if (e.Metadata.IsChanged)
        {
            changes.Add("metadata");
        }

        if (e.Budget.IsChanged)
        {
            changes.Add(e.Budget.Value is { } budget ? string.Create(CultureInfo.InvariantCulture, $"budget ${budget.MaxListCost.UsdValue:0.00}") : "budget removed");
        }

        return string.Join(", ", changes);
    }

    /// <summary>Describes token usage in one short phrase.</summary>
    public static string Tokens(SessionUsage usage) =>
        string.Create(CultureInfo.InvariantCulture, $"{usage.InputTokens:N0} in, {usage.OutputTokens:N0} out")
        + (usage.CacheReadInputTokens > 0 ? string.Create(CultureInfo.InvariantCulture, $", {usage.CacheReadInputTokens:N0} cached") : "");

    // A usage snapshot in one short phrase: tokens, and the list cost against the budget when there are any.
    private static string Cost(SessionUsageEvent e)
    {
        var tokens = string.Create(CultureInfo.InvariantCulture, $"{e.Usage.InputTokens:N0} in, {e.Usage.OutputTokens:N0} out");
        var cost = e.Usage.ListCost is { } spent ? string.Create(CultureInfo.InvariantCulture, $", ${spent.UsdValue:0.00} at list prices") : "";
        var budget = e.Budget is { } limit ? string.Create(CultureInfo.InvariantCulture, $" of a ${limit.MaxListCost.UsdValue:0.00} budget") : "";
        return tokens + cost + budget;
    }

    private void RenderVerdict(SpanOutcomeEvaluationEndEvent end)
    {
        var (mark, color) = end.Result switch
        {
            OutcomeResult.Satisfied => ("✓", "green"),
            OutcomeResult.NeedsRevision => ("↻", "yellow"),
            OutcomeResult.MaxIterationsReached => ("✗", "yellow"),
            _ => ("✗", "red"),
        };
        console.MarkupLine($"[{color}]{mark} {Markup.Escape(end.Result.ToWire().Replace('_', ' '))}[/] {Markup.Escape(end.Explanation)}");
        foreach (var check in end.Checks ?? [])
        {
            console.MarkupLine($"  [{(check.Passed ? "grey" : "red")}]{(check.Passed ? "✓" : "✗")} check: {Markup.Escape(check.Check)}[/]");
        }

        foreach (var finding in (end.Findings ?? []).Where(f => !f.Met))
        {
            console.MarkupLine($"  [yellow]- {Markup.Escape(finding.Criterion)}:[/] {Markup.Escape(finding.Fix.Length > 0 ? finding.Fix : finding.Evidence)}");
        }

        if (end.SampleVerdicts is { Count: > 1 } samples)
        {
            console.MarkupLine($"  [grey]grader samples: {Markup.Escape(string.Join(", ", samples))}[/]");
        }
    }

    private void Line(string who, string text) => console.MarkupLine($"{who} {Markup.Escape(text)}");

    private void Fold(string text, bool isError)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var color = isError ? "red" : "grey";
        foreach (var line in lines.Take(FoldedLines))
        {
            console.MarkupLine($"  [{color}]│ {Markup.Escape(line)}[/]");
        }

        if (lines.Length > FoldedLines)
        {
            console.MarkupLine($"  [{color}]│ … {lines.Length - FoldedLines} more lines[/]");
        }
    }

    private static string Text(IReadOnlyList<ContentBlock> content) => string.Join("\n", content.OfType<TextBlock>().Select(b => b.Text));

    // The one argument that says most about a call, or the compact JSON input.
    private static string Summarize(string tool, JsonElement input)
    {
        string? Field(string name) => input.ValueKind == JsonValueKind.Object && input.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var summary = tool switch
        {
            "bash" => Field("command"),
            "read" or "write" or "edit" => Field("file_path"),
            "glob" or "grep" => Field("pattern") is { } pattern ? pattern + (Field("path") is { } path ? $"  in {path}" : "") : null,
            _ => null,
        } ?? input.GetRawText();
        summary = summary.ReplaceLineEndings(" ⏎ ");
        return summary.Length <= 160 ? summary : summary[..160] + "…";
    }
}
