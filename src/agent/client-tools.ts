/**
 * The two Anthropic client tools the built-in executor offers, declared exactly as the
 * Messages API expects (schema-less: type and name only), and the dispatcher that runs one
 * `tool_use` block. Whatever goes wrong inside a tool — an unknown tool name, malformed input,
 * a refused path, a failing command, an unexpected file system error — becomes an error result
 * for the model to react to. Only an abort propagates.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { Logger } from "../log.ts";
import { type BashContext, bashToolName, runBashTool } from "./bash-tool.ts";
import {
  type EditorContext,
  describeEditorCall,
  editorToolName,
  runEditorTool,
} from "./editor-tool.ts";
import { ToolError, type ToolOutcome, errorText, preview } from "./tool-result.ts";

export const clientTools: Anthropic.ToolUnion[] = [
  { type: "text_editor_20250728", name: editorToolName },
  { type: "bash_20250124", name: bashToolName },
];

const toolNames = [editorToolName, bashToolName];

export interface ToolContext {
  editor: EditorContext;
  bash: BashContext;
  signal: AbortSignal;
  log: Logger;
}

function rawSummary(call: Anthropic.ToolUseBlock): string {
  if (call.name === editorToolName) return describeEditorCall(call.input);
  if (call.name === bashToolName) {
    const command = (call.input as { command?: unknown } | null)?.command;
    return typeof command === "string" ? preview(command) : "(no command)";
  }
  return preview(JSON.stringify(call.input) ?? "");
}

async function dispatch(call: Anthropic.ToolUseBlock, context: ToolContext): Promise<ToolOutcome> {
  switch (call.name) {
    case editorToolName: {
      const result = await runEditorTool(call.input, context.editor);
      return { content: result.text, isError: false, summary: result.summary };
    }
    case bashToolName: {
      const result = await runBashTool(call.input, context.bash);
      return { content: result.text, isError: result.isError, summary: result.summary };
    }
    default:
      throw new ToolError(`unknown tool "${call.name}"; the tools are ${toolNames.join(" and ")}`);
  }
}

export async function runToolCall(
  call: Anthropic.ToolUseBlock,
  context: ToolContext,
): Promise<ToolOutcome> {
  context.signal.throwIfAborted();
  try {
    return await dispatch(call, context);
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason ?? error;
    const summary = rawSummary(call);
    if (error instanceof ToolError)
      return { content: errorText(error.message), isError: true, summary };
    context.log.debug(
      `${call.name} tool failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    const message = error instanceof Error ? error.message : String(error);
    return { content: errorText(`the tool failed: ${message}`), isError: true, summary };
  }
}
