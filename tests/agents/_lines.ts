/** Transcript lines in Claude Code's shape, for the agents tests. */

export const line = (value: Record<string, unknown>) => JSON.stringify(value);
export const user = (content: unknown, extra: Record<string, unknown> = {}) =>
  line({ type: "user", message: { role: "user", content }, ...extra });
export const assistant = (content: unknown[], stopReason?: string) =>
  line({ type: "assistant", message: { role: "assistant", content, stop_reason: stopReason } });
export const toolUse = (id: string) => ({ type: "tool_use", id, name: "Bash", input: {} });
export const toolResult = (id: string) =>
  user([{ type: "tool_result", tool_use_id: id, content: "ok" }]);
export const text = (t: string) => ({ type: "text", text: t });
export const customTitle = (t: string) => line({ type: "custom-title", customTitle: t });
export const aiTitle = (t: string) => line({ type: "ai-title", aiTitle: t });
export const summary = (t: string) => line({ type: "summary", summary: t });
export const turnDuration = () =>
  line({ type: "system", subtype: "turn_duration", durationMs: 1200 });
