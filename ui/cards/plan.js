/**
 * Plans, questions and todo lists: tools whose input is the content. A plan
 * reads as Markdown with its outcome (approved, or kept planning with the
 * user's words); a question shows its options and marks the answer.
 *
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 */
import { html } from "../lib/html.js";
import { LongMarkdown, Output, resultText } from "./parts.js";

/** @param {{item: Item, expanded: boolean, toggle: () => void}} props */
export function PlanBody({ item, expanded, toggle }) {
  const input = item.block?.input ?? {};
  const plan = typeof input.plan === "string" ? input.plan : "";
  const res = item.result;
  const rejected = !!res?.block?.isError;
  const feedback = rejected ? resultText(res).trim() : "";
  return html`<div class="card-body">
    <${LongMarkdown} text=${plan || "(no plan text)"} expanded=${expanded} onToggle=${toggle}
      max=${12} cls="plan" />
    ${
    res
      ? html`<div class=${`plan-outcome ${rejected ? "rejected" : "approved"}`} role="status">${
        rejected ? "Not approved: kept planning" : "Plan approved"
      }</div>
      ${
        feedback && html`
          <${Output} text=${feedback} expanded=${expanded} onToggle=${toggle}
            max=${4} label="The user's answer" />
        `
      }`
      : html`<div class="plan-outcome dim" role="status">Waiting for approval</div>`
  }
  </div>`;
}

/** @param {{item: Item, expanded: boolean, toggle: () => void}} props */
export function QuestionBody({ item, expanded, toggle }) {
  const input = item.block?.input ?? {};
  const questions = Array.isArray(input.questions) ? input.questions : [];
  const res = item.result;
  const r = res?.event?.result;
  /** @type {Record<string, string>} */
  const answers = r?.type === "answers" && r.answers ? r.answers : {};
  const answered = Object.keys(answers).length > 0;
  return html`<div class="card-body">
    ${
    questions.map((/** @type {any} */ q, /** @type {number} */ k) => {
      const text = typeof q?.question === "string" ? q.question : "";
      const answer = answers[text] ?? "";
      const picked = answer.split(",").map((a) => a.trim());
      const options = Array.isArray(q?.options) ? q.options : [];
      return html`<div key=${k} class="question">
        <div class="q-head">${
        typeof q?.header === "string" && q.header
          ? html`
            <span class="chip">${q.header}</span>
          `
          : ""
      }${text}</div>
        <ul class="options">${
        options.map((/** @type {any} */ o, /** @type {number} */ j) => {
          const label = typeof o?.label === "string" ? o.label : String(o ?? "");
          const chosen = answered && (answer === label || picked.includes(label));
          return html`<li key=${j} class=${`option ${chosen ? "chosen" : ""}`}>
            <span aria-hidden="true">${chosen ? "●" : "○"}</span> ${label}${
            chosen ? html`<span class="sr-only"> (chosen)</span>` : ""
          }
            ${
            typeof o?.description === "string" && o.description &&
            html`<div class="o-desc">${o.description}</div>`
          }
          </li>`;
        })
      }</ul>
        ${
        answer && !options.some((/** @type {any} */ o) => o?.label === answer) &&
        html`<div class="answer">Answer: ${answer}</div>`
      }
      </div>`;
    })
  }
    ${
    res && !answered && resultText(res).trim() &&
    html`
      <${Output} text=${resultText(res)} expanded=${expanded} onToggle=${toggle} max=${4}
        error=${!!res.block?.isError} label="Answer" />
    `
  }
    ${!res && html`<div class="answer dim" role="status">Waiting for an answer</div>`}
  </div>`;
}

/** @param {{input: any}} props */
export function TodoBody({ input }) {
  const todos = Array.isArray(input?.todos) ? input.todos : [];
  return html`
    <div class="card-body">
      <ul class="todos">${todos.map((/** @type {any} */ t, /** @type {number} */ k) =>
        typeof t !== "object" || t === null
          ? html`<li key=${k} class="todo"><span class="box"></span><span>${String(t)}</span></li>`
          : html`
            <li key=${k} class=${`todo ${t.status ?? ""}`}>
              <span class="box" aria-label=${t.status ?? "pending"}>${t.status === "completed"
                ? "✓"
                : t.status === "in_progress"
                ? "◐"
                : ""}</span>
              <span>${t.status === "in_progress" && t.activeForm
                ? t.activeForm
                : t.content ?? ""}</span>
            </li>
          `
      )}</ul>
    </div>
  `;
}
