/**
 * What a tool call card shows in its header: the one input that says what
 * the call does (the Bash command, the file path, the search pattern).
 * Pure, so it is tested from Deno.
 */

/**
 * @param {string} name tool name as the transcript has it
 * @param {unknown} input the tool's input object
 * @returns {{detail: string, mono: boolean}} the key input, and whether it reads as code
 */
export function keyInput(name, input) {
  const o =
    /** @type {Record<string, unknown>} */ (input && typeof input === "object" ? input : {});
  const str = (
    /** @type {string} */ k,
  ) => (typeof o[k] === "string" ? /** @type {string} */ (o[k]) : "");
  const n = name.toLowerCase();
  if (isShellTool(n)) {
    const cmd = str("command") || str("cmd") ||
      (Array.isArray(o.command) ? o.command.join(" ") : "");
    return { detail: cmd, mono: true };
  }
  if (
    [
      "read",
      "edit",
      "multiedit",
      "write",
      "notebookedit",
      "notebookread",
      "replace",
      "write_file",
      "read_file",
      "create",
      "view",
    ].includes(n)
  ) {
    return { detail: str("file_path") || str("notebook_path") || str("path"), mono: true };
  }
  if (n === "grep" || n === "glob") {
    const where = str("path") || str("glob");
    return { detail: str("pattern") + (where ? `  in ${where}` : ""), mono: true };
  }
  if (n === "webfetch") return { detail: str("url"), mono: true };
  if (n === "websearch") return { detail: str("query"), mono: false };
  if (n === "task" || n === "agent") {
    const type = str("subagent_type");
    return {
      detail: (type ? `${type}: ` : "") + (str("description") || firstLine(str("prompt"))),
      mono: false,
    };
  }
  if (n === "todowrite" && Array.isArray(o.todos)) {
    const todos = /** @type {{status?: string}[]} */ (o.todos);
    const done = todos.filter((t) => t.status === "completed").length;
    return { detail: `${done}/${todos.length} done`, mono: false };
  }
  if (n === "exitplanmode") return { detail: "plan for approval", mono: false };
  if (n === "askuserquestion" && Array.isArray(o.questions)) {
    const first = /** @type {{question?: unknown}[]} */ (o.questions)[0];
    return { detail: typeof first?.question === "string" ? first.question : "", mono: false };
  }
  if (n === "apply_patch") {
    const files = [...str("input").matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)].map((
      m,
    ) => m[1]);
    return { detail: files.join(", "), mono: true };
  }
  for (
    const key of [
      "command",
      "file_path",
      "path",
      "pattern",
      "url",
      "query",
      "description",
      "prompt",
      "input",
    ]
  ) {
    if (str(key)) {
      return { detail: firstLine(str(key)), mono: key !== "description" && key !== "prompt" };
    }
  }
  const firstString = Object.values(o).find((v) => typeof v === "string");
  return { detail: typeof firstString === "string" ? firstLine(firstString) : "", mono: false };
}

/**
 * The edits a file-editing tool call makes, as old/new text pairs.
 * @param {string} name
 * @param {unknown} input
 * @returns {{oldText: string, newText: string}[] | null} null for tools that do not edit
 */
export function editsOf(name, input) {
  const o =
    /** @type {Record<string, unknown>} */ (input && typeof input === "object" ? input : {});
  const n = name.toLowerCase();
  if (n === "edit" && typeof o.old_string === "string" && typeof o.new_string === "string") {
    return [{ oldText: o.old_string, newText: o.new_string }];
  }
  if (n === "multiedit" && Array.isArray(o.edits)) {
    return o.edits
      .filter((e) => e && typeof e.old_string === "string" && typeof e.new_string === "string")
      .map((e) => ({ oldText: e.old_string, newText: e.new_string }));
  }
  if (n === "write" && typeof o.content === "string") return [{ oldText: "", newText: o.content }];
  // Gemini CLI: `replace` and `write_file`.
  if (n === "replace" && typeof o.old_string === "string" && typeof o.new_string === "string") {
    return [{ oldText: o.old_string, newText: o.new_string }];
  }
  if (n === "write_file" && typeof o.content === "string") {
    return [{ oldText: "", newText: o.content }];
  }
  // Copilot CLI (and str_replace-style editors): `edit`/`str_replace` and `create`.
  if (typeof o.old_str === "string" && typeof o.new_str === "string") {
    return [{ oldText: o.old_str, newText: o.new_str }];
  }
  if (n === "create" && typeof o.file_text === "string") {
    return [{ oldText: "", newText: o.file_text }];
  }
  return null;
}

/** Whether a tool runs a shell command (Claude Code's Bash, Codex's shell tools). @param {string} name */
export function isShellTool(name) {
  return SHELL_TOOLS.has(name.toLowerCase());
}

const SHELL_TOOLS = new Set([
  "bash",
  "shell",
  "shell_command",
  "exec_command",
  "local_shell",
  "container.exec",
]);

/** Whether a tool call starts a subagent. @param {string} name */
export function isSubagentTool(name) {
  return name === "Task" || name === "Agent";
}

/**
 * The subagent a Task/Agent call started, among the agents the page knows.
 * Tries, in order: the call's id against the `toolUseId` a subagent's meta
 * file names (exact); the `agentId` of the call's structured result against
 * `agent-<id>.jsonl`; the call's prompt or description against the child's
 * title; and finally, when the parent has exactly one child and one such call,
 * that child.
 * @template {{id: string, path: string, title: string, parentId: string | null, toolUseId?: string}} A
 * @param {{id?: string, input: unknown, resultAgentId?: string, callCount: number}} call
 * @param {string} parentId
 * @param {Iterable<A>} agents
 * @returns {A | null}
 */
export function findSubagent(call, parentId, agents) {
  const all = [...agents];
  if (call.id) {
    const exact = all.find((a) => a.toolUseId === call.id);
    if (exact) return exact;
  }
  if (call.resultAgentId) {
    const suffix = `agent-${call.resultAgentId}.jsonl`;
    const hit = all.find((a) => a.path.endsWith(suffix));
    if (hit) return hit;
  }
  const children = all.filter((a) => a.parentId === parentId);
  const o =
    /** @type {Record<string, unknown>} */ (call.input && typeof call.input === "object"
      ? call.input
      : {});
  const prompt = norm(typeof o.prompt === "string" ? o.prompt : "");
  const description = norm(typeof o.description === "string" ? o.description : "");
  for (const child of children) {
    const title = norm(child.title);
    if (!title) continue;
    if (prompt && (prompt.startsWith(title) || title.startsWith(prompt.slice(0, 60)))) return child;
    if (description && title === description) return child;
  }
  return children.length === 1 && call.callCount === 1 ? children[0] ?? null : null;
}

/** @param {string} s */
function norm(s) {
  return s.replace(/\s+/g, " ").trim().toLowerCase().replace(/…$/, "");
}

/** @param {string} s */
function firstLine(s) {
  const line = s.split("\n", 1)[0] ?? "";
  return line.length < s.length ? `${line} …` : line;
}
