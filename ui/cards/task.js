/** A subagent call: its prompt, a link into its own feed, and what it returned. */
/**
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 */
import { html } from "../lib/html.js";
import { agents } from "../data/state.js";
import { agentPath } from "../lib/route.js";
import { formatBytes } from "../lib/size.js";
import { findSubagent } from "./tools.js";
import { compact, LongMarkdown, resultText } from "./parts.js";

/** @param {{item: Item, expanded: boolean, toggle: () => void, ctx: CardContext}} props */
export function TaskBody({ item, expanded, toggle, ctx }) {
  const b = item.block ?? {};
  const prompt = typeof b.input?.prompt === "string" ? b.input.prompt : "";
  const res = item.result;
  const r = res?.event?.result;
  return html`<div class="card-body">
    ${
    prompt && html`
      <${LongMarkdown} text=${prompt} expanded=${expanded} onToggle=${toggle} max=${4}
        cls="task-prompt" />
    `
  }
    <${SubagentLink} id=${b.id} input=${b.input} agentId=${
    r?.type === "task" ? r.agentId : undefined
  } ctx=${ctx} />
    ${
    res &&
    html`
      <div class="task-result">
        <${LongMarkdown} text=${resultText(res)} expanded=${expanded} onToggle=${toggle}
          max=${8} truncated=${!!res.event?.truncated} loading=${ctx.loading(res.event?.cursor)} />
      </div>
    `
  }
    ${
    r?.type === "task" && typeof r.totalTokens === "number" &&
    html`<div class="dim small">${compact(r.totalTokens)} tokens${
      r.status ? ` · ${r.status}` : ""
    }</div>`
  }
  </div>`;
}

/**
 * A `Workflow` call's link to the run it launched: only the run whose record
 * names the task the call's result named (the daemon pairs them), never a guess.
 * @param {{id?: string}} props
 */
export function RunLink({ id }) {
  if (!id) return null;
  const run = [...agents.value.values()].find((a) =>
    a.source === "claude-workflow" && a.toolUseId === id
  );
  if (!run) return null;
  return html`<div class="card-body"><a class="subagent-link run-link" href=${agentPath(run.id)}>
    <span class=${`dot ${run.state} ${run.activity ?? ""}`} aria-hidden="true"></span>
    <span>Open workflow run</span><span class="dim">${run.title}</span>
    <span aria-hidden="true">→</span>
  </a></div>`;
}

/**
 * A link into the subagent's own feed, once the daemon knows that agent.
 * @param {{id?: string, input: unknown, agentId?: string, ctx: CardContext}} props
 */
function SubagentLink({ id, input, agentId, ctx }) {
  const child = findSubagent(
    { id, input, resultAgentId: agentId, callCount: ctx.subagentCalls() },
    ctx.agentId,
    agents.value.values(),
  );
  if (!child) return null;
  return html`<a class="subagent-link" href=${agentPath(child.id)}>
    <span class=${`dot ${child.state} ${child.activity ?? ""}`} aria-hidden="true"></span>
    <span>Open subagent feed</span><span class="dim">${child.title}</span>
    <span class="dim">${child.state === "running" ? "running" : formatBytes(child.size)}</span>
    <span aria-hidden="true">→</span>
  </a>`;
}
