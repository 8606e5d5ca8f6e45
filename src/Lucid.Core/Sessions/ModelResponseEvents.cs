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
    /// asking. A call of an unknown tool is answered at once with an error naming the tools there are. When the
    /// output limit cut the response off (finish reason <c>length</c>), its last tool call may be incomplete: it is not
    /// run but answered at once with an error, and <c>CutOffCalls</c> counts the response's calls (0 when nothing was cut off).
    /// The messages take the IDs their previews went out under (<paramref name="messageIds"/>, in order; null for none).
    /// </summary>
    public static (List<SessionEvent> Output, List<SessionEvent> ToRun, int CutOffCalls) From(
        ChatResponse response, TurnContext context, Func<SessionEvent, SessionEvent> stamp, IReadOnlyList<string?>? messageIds = null)
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
                    output.AddRange(ToolUse(call, context, stamp, toRun));
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

    private static IEnumerable<SessionEvent> ToolUse(
        FunctionCallContent call, TurnContext context, Func<SessionEvent, SessionEvent> stamp, List<SessionEvent> toRun)
    {
        var input = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions);
        if (context.CustomTools.Contains(call.Name))
        {
            yield return stamp(new AgentCustomToolUseEvent { Name = call.Name, Input = input });
        }
        else if (context.Tools.TryGetValue(call.Name, out var tool))
        {
            var use = (AgentToolUseEvent)stamp(new AgentToolUseEvent
            {
                Name = call.Name,
                Input = input,
                EvaluatedPermission = tool.Policy == PermissionPolicy.AlwaysAsk ? ToolPermissions.Ask : ToolPermissions.Allow,
            });
            if (tool.Policy == PermissionPolicy.AlwaysAllow)
            {
                toRun.Add(use);
            }

            yield return use;
        }
        else if (context.McpTools.TryGetValue(call.Name, out var mcp))
        {
            var use = stamp(new AgentMcpToolUseEvent
            {
                McpServerName = mcp.ServerName,
                Name = mcp.Info.Name,
                Input = input,
                EvaluatedPermission = mcp.Policy == PermissionPolicy.AlwaysAsk ? ToolPermissions.Ask : ToolPermissions.Allow,
            });
            if (mcp.Policy == PermissionPolicy.AlwaysAllow)
            {
                toRun.Add(use);
            }

            yield return use;
        }
        else
        {
            var use = stamp(new AgentToolUseEvent { Name = call.Name, Input = input, EvaluatedPermission = ToolPermissions.Deny });
            yield return use;
            yield return new AgentToolResultEvent
            {
                ToolUseId = use.Id,
                Content = [new TextBlock($"There is no tool named '{call.Name}' in this session. Available tools: {string.Join(", ", context.ToolNames)}.")],
                IsError = true,
            };
        }
    }
}
