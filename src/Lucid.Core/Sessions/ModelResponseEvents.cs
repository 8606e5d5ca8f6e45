using System.Text.Json;
using Lucid.Agents;
using Lucid.Events;
using Microsoft.Extensions.AI;

namespace Lucid.Sessions;

/// <summary>Turns a model's response into the events that record it, and picks the tool calls to run now.</summary>
internal static class ModelResponseEvents
{
    /// <summary>What a tool call cut off by the output limit is answered with.</summary>
    public const string CutOffMessage =
        "This tool call was cut off by the model's output limit before it was complete, so it was not run. Make it again "
        + "with less input: split a long file or command into several smaller calls.";

    /// <summary>
    /// The response's text, thinking and tool calls as events, in order; and the built-in and MCP calls that run without
    /// asking. A call under the <c>auto</c> policy is judged by <paramref name="review"/> (given the tool's name, its MCP
    /// server or null, and its input) before its event is made: an allowed call runs, a denied one is answered at once
    /// with an error carrying the reason. A call of an unknown tool is answered at once with an error naming the tools there are. When the
    /// output limit cut the response off (finish reason <c>length</c>), its last tool call may be incomplete: it is not
    /// run but answered at once with an error, and <c>CutOffCalls</c> counts the response's calls (0 when nothing was cut off).
    /// The messages take the IDs their previews went out under (<paramref name="messageIds"/>, in order; null for none).
    /// </summary>
    public static async Task<(List<SessionEvent> Output, List<SessionEvent> ToRun, int CutOffCalls)> FromAsync(
        ChatResponse response, TurnContext context, Func<SessionEvent, SessionEvent> stamp, Review review, IReadOnlyList<string?>? messageIds = null)
    {
        var output = new List<SessionEvent>();
        var toRun = new List<SessionEvent>();
        var text = new List<string>();
        var messages = 0;
        void FlushText()
        {
            if (text.Count > 0)
            {
                var id = messageIds?.ElementAtOrDefault(messages++) ?? "";
                output.Add(new AgentMessageEvent { Id = id, Content = [new TextBlock(string.Concat(text))] });
                text.Clear();
            }
        }

        foreach (var content in response.Messages.Where(m => m.Role == ChatRole.Assistant).SelectMany(m => m.Contents))
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } t:
                    text.Add(t.Text);
                    break;
                case TextReasoningContent { Text.Length: > 0 } r:
                    FlushText();
                    output.Add(new AgentThinkingEvent { Text = r.Text });
                    break;
                case FunctionCallContent call:
                    FlushText();
                    output.AddRange(await ToolUseAsync(call, context, stamp, review, toRun));
                    break;
            }
        }

        FlushText();
        var calls = output.Count(ToolResults.IsToolUse);
        if (response.FinishReason != ChatFinishReason.Length || calls == 0)
        {
            return (output, toRun, 0);
        }

        // The cut is at the end of the response, so only its last call can be incomplete.
        var last = output.FindLastIndex(ToolResults.IsToolUse);
        var cutOff = output[last].Id;
        toRun.RemoveAll(r => r.Id == cutOff);
        if (output.ElementAtOrDefault(last + 1) is not (AgentToolResultEvent or AgentMcpToolResultEvent))
        {
            output.Insert(last + 1, ToolResults.Error(cutOff, output[last] is AgentMcpToolUseEvent, CutOffMessage));
        }

        return (output, toRun, calls);
    }

    private static async Task<List<SessionEvent>> ToolUseAsync(
        FunctionCallContent call, TurnContext context, Func<SessionEvent, SessionEvent> stamp, Review review, List<SessionEvent> toRun)
    {
        var input = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
        if (context.CustomTools.Contains(call.Name))
        {
            return [stamp(new AgentCustomToolUseEvent { Name = call.Name, Input = input })];
        }

        if (context.Tools.TryGetValue(call.Name, out var tool))
        {
            // Judged before the event is made, so the event records the judgement and is stamped after the review.
            var evaluation = await EvaluateAsync(tool.Policy, call.Name, null, input, review);
            var use = stamp(new AgentToolUseEvent { Name = call.Name, Input = input, EvaluatedPermission = Permission(evaluation), Evaluation = evaluation });
            return Decided(use, evaluation, mcp: false, toRun);
        }

        if (context.McpTools.TryGetValue(call.Name, out var mcp))
        {
            var evaluation = await EvaluateAsync(mcp.Policy, mcp.Info.Name, mcp.ServerName, input, review);
            var use = stamp(new AgentMcpToolUseEvent
            {
                McpServerName = mcp.ServerName, Name = mcp.Info.Name, Input = input, EvaluatedPermission = Permission(evaluation), Evaluation = evaluation,
            });
            return Decided(use, evaluation, mcp: true, toRun);
        }

        var unknown = stamp(new AgentToolUseEvent { Name = call.Name, Input = input, EvaluatedPermission = ToolPermissions.Deny });
        return
        [
            unknown,
            ToolResults.Error(unknown.Id, mcp: false, $"There is no tool named '{call.Name}' in this session. Available tools: {string.Join(", ", context.ToolNames)}."),
        ];
    }

    private static async Task<ToolEvaluation> EvaluateAsync(PermissionPolicy policy, string tool, string? server, JsonElement input, Review review) =>
        policy == PermissionPolicy.Auto
            ? new ToolEvaluation { Policy = policy, EvaluatedPermission = await review(tool, server, input) }
            : ToolEvaluation.Of(policy);

    private static string Permission(ToolEvaluation evaluation) => evaluation switch
    {
        { EvaluatedPermission: { } judgement } => judgement.Type,
        { Policy: PermissionPolicy.AlwaysAsk } => ToolPermissions.Ask,
        _ => ToolPermissions.Allow,
    };

    // An allowed call runs now; one the reviewer denied is answered at once with its reason; one that asks (under
    // always_ask, or the reviewer's ask under auto) waits for the client's confirmation.
    private static List<SessionEvent> Decided(SessionEvent use, ToolEvaluation evaluation, bool mcp, List<SessionEvent> toRun)
    {
        if (evaluation.EvaluatedPermission is { Denies: true } denied)
        {
            return [use, ToolResults.Error(use.Id, mcp, $"The auto permission policy's reviewer denied this tool call, so it did not run. Reason: {denied.Reason}")];
        }

        if (Permission(evaluation) != ToolPermissions.Ask)
        {
            toRun.Add(use);
        }

        return [use];
    }

    /// <summary>Judges one call under the <c>auto</c> policy: the tool's name, its MCP server (null for a built-in tool), its input.</summary>
    public delegate Task<AutoJudgement> Review(string tool, string? mcpServer, JsonElement input);
}
