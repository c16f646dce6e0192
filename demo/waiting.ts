/**
 * Two sessions that stop and wait for the user, again and again:
 * - `billing` asks a question (`AskUserQuestion`), is answered a while later,
 *   finishes the turn, and asks again on the next one;
 * - `infra` wants to run `terraform apply` and waits on the permission
 *   prompt. Claude Code writes no permission request to the transcript, so,
 *   as Claude Code itself does, the demo also keeps a `sessions/<pid>.json`
 *   live-state file for it: `idle` with a tool call open is the prompt.
 */
import { ClaudeLines, text, thinking, toolUse } from "./claude_lines.ts";
import { append, HOME, pastClock, type Pause, type Session } from "./shared.ts";

/** How long the simulated user leaves a question or a prompt waiting. */
const WAIT_MS = 75_000;

export async function writeBillingStart(folder: string): Promise<Session> {
  await Deno.mkdir(folder, { recursive: true });
  const lines = new ClaudeLines({ sessionId: crypto.randomUUID(), cwd: `${HOME}/billing` });
  lines.clock = pastClock(3);
  const path = `${folder}/${lines.sessionId}.jsonl`;
  await append(
    path,
    lines.user("Add proration to plan changes mid-cycle."),
    lines.aiTitle("Prorate mid-cycle plan changes"),
  );
  lines.clock = () => new Date();
  return { lines, path };
}

const QUESTIONS = [
  {
    question: "How should a downgrade mid-cycle be credited?",
    header: "Downgrades",
    options: [
      { label: "Credit the balance", description: "Unused days go to the next invoice" },
      { label: "Refund to card", description: "Money back at once" },
      { label: "No credit", description: "The new plan starts next cycle" },
    ],
    multiSelect: false,
  },
  {
    question: "Round prorated amounts how?",
    header: "Rounding",
    options: [
      { label: "To the cent", description: "Exact, may show odd amounts" },
      { label: "Down to the dollar", description: "In the customer's favour" },
    ],
    multiSelect: false,
  },
];

/** Ask, wait, get the answer, work, finish; then the user asks for more and it asks again. */
export async function billingLoop(s: Session, pause: Pause): Promise<void> {
  for (let round = 0;; round++) {
    const q = QUESTIONS[round % QUESTIONS.length]!;
    await pause(2500);
    const ask = toolUse("AskUserQuestion", { questions: [q] });
    await append(
      s.path,
      s.lines.assistant([
        thinking("This is a product decision, not a technical one: ask before writing it."),
        text(`Before I write this: ${q.question}`),
        ask,
      ]),
    );
    await pause(WAIT_MS);
    const answer = q.options[0]!.label;
    await append(
      s.path,
      s.lines.toolResult(
        ask.id!,
        `User has answered your questions: "${q.question}"="${answer}". You can now continue.`,
        { questions: [q], answers: { [q.question]: answer } },
      ),
    );
    await pause(3000);
    const edit = toolUse("Edit", {
      file_path: `${HOME}/billing/src/proration.ts`,
      old_string: "return 0;",
      new_string: "return Math.round(unusedDays / cycleDays * price * 100) / 100;",
    });
    await append(s.path, s.lines.assistant([text(`Going with "${answer}".`), edit]));
    await pause(2500);
    await append(
      s.path,
      s.lines.toolResult(edit.id!, `The file ${HOME}/billing/src/proration.ts has been updated.`, {
        filePath: `${HOME}/billing/src/proration.ts`,
        oldString: "return 0;",
        newString: "return Math.round(unusedDays / cycleDays * price * 100) / 100;",
        structuredPatch: [],
        userModified: false,
        replaceAll: false,
      }),
      s.lines.assistant([text("Done: plan changes are prorated by the day.")]),
      s.lines.system("turn_duration", { durationMs: 21_000 }),
    );
    await pause(WAIT_MS / 2);
    await append(s.path, s.lines.user("Now handle upgrades the same way."));
  }
}

export async function writeInfraStart(folder: string): Promise<Session> {
  await Deno.mkdir(folder, { recursive: true });
  const lines = new ClaudeLines({ sessionId: crypto.randomUUID(), cwd: `${HOME}/infra` });
  lines.clock = pastClock(2);
  const path = `${folder}/${lines.sessionId}.jsonl`;
  await append(
    path,
    lines.user("Bump the staging database to the next instance size."),
    lines.aiTitle("Resize the staging database"),
  );
  lines.clock = () => new Date();
  return { lines, path };
}

/**
 * Wants to run a command that needs permission, waits, is allowed, runs it,
 * reports; then the cycle starts over. `stateFile` is its live-state file.
 */
export async function infraLoop(s: Session, stateFile: string, pause: Pause): Promise<void> {
  const state = (status: "busy" | "idle") =>
    Deno.writeTextFile(
      stateFile,
      JSON.stringify({
        pid: Deno.pid,
        sessionId: s.lines.sessionId,
        cwd: `${HOME}/infra`,
        startedAt: Date.now(),
        kind: "interactive",
        entrypoint: "cli",
        status,
        updatedAt: Date.now(),
        statusUpdatedAt: Date.now(),
      }),
    );
  await state("busy");
  for (;;) {
    await pause(2000);
    const apply = toolUse("Bash", {
      command: "terraform -chdir=envs/staging apply -auto-approve",
      description: "Apply the resize to staging",
    });
    await append(
      s.path,
      s.lines.assistant([
        text("The plan changes one resource (db.t4g.medium → db.t4g.large). Applying it."),
        apply,
      ]),
    );
    await state("idle"); // on the permission prompt
    await pause(WAIT_MS);
    await state("busy");
    await pause(6000);
    await append(
      s.path,
      s.lines.toolResult(
        apply.id!,
        "aws_db_instance.staging: Modifying...\nApply complete! Resources: 0 added, 1 changed, 0 destroyed.",
        { stdout: "Apply complete!", stderr: "", interrupted: false, isImage: false },
      ),
      s.lines.assistant([text("Staging now runs on db.t4g.large.")]),
      s.lines.system("turn_duration", { durationMs: 9000 }),
    );
    await state("idle");
    await pause(WAIT_MS / 2);
    await append(s.path, s.lines.user("Do the same for the read replica."));
    await state("busy");
  }
}
