/** `webshop`: a session that fails: tool errors (`is_error`), then API errors. */
import { ClaudeLines, text, thinking, toolUse } from "./claude_lines.ts";
import { append, HOME, pastClock, type Pause, type Session } from "./shared.ts";

export async function writeShopStart(folder: string): Promise<Session> {
  await Deno.mkdir(folder, { recursive: true });
  const lines = new ClaudeLines({
    sessionId: crypto.randomUUID(),
    cwd: `${HOME}/webshop`,
    gitBranch: "chore/payments-v5",
  });
  lines.clock = pastClock(1);
  const path = `${folder}/${lines.sessionId}.jsonl`;
  await append(path, lines.user("Upgrade the payments SDK to v5 and fix whatever breaks."));
  lines.clock = () => new Date();
  return { lines, path };
}

export async function shopFailure(s: Session, pause: Pause): Promise<void> {
  const { lines, path } = s;
  await pause(2500);
  const install = toolUse("Bash", {
    command: "npm install @acme/payments@5",
    description: "Upgrade the payments SDK",
  });
  await append(
    path,
    lines.assistant([
      thinking(
        "v5 is a major release; install it first and let the type errors show what changed.",
      ),
      install,
    ]),
  );
  await pause(3000);
  const eresolve =
    'npm error code ERESOLVE\nnpm error ERESOLVE unable to resolve dependency tree\nnpm error\nnpm error While resolving: webshop@3.2.0\nnpm error Found: react@18.3.1\nnpm error Could not resolve dependency:\nnpm error peer react@"^19.0.0" from @acme/payments@5.0.0';
  await append(
    path,
    lines.toolResult(install.id, `Exit code 1\n${eresolve}`, `Error: Exit code 1\n${eresolve}`, {
      isError: true,
    }),
  );
  await pause(2500);
  const retry = toolUse("Bash", {
    command: "npm install @acme/payments@5 --legacy-peer-deps && npx tsc --noEmit",
    description: "Install ignoring peer deps, then type-check",
  });
  await append(
    path,
    lines.assistant([
      text(
        "v5 wants React 19. Let me see how much breaks if I install it anyway before proposing a React upgrade.",
      ),
      retry,
    ]),
  );
  await pause(4000);
  const tsc =
    "src/checkout/pay.ts(12,10): error TS2305: Module '\"@acme/payments\"' has no exported member 'createCharge'.\nsrc/checkout/pay.ts(31,5): error TS2554: Expected 1 arguments, but got 2.\nsrc/checkout/refund.ts(8,23): error TS2339: Property 'refund' does not exist on type 'PaymentsClient'.";
  await append(
    path,
    lines.toolResult(retry.id, `Exit code 2\n${tsc}`, `Error: Exit code 2\n${tsc}`, {
      isError: true,
    }),
  );
  for (let attempt = 1; attempt <= 3; attempt++) {
    await pause(2000 * attempt);
    await append(
      path,
      lines.system("api_error", {
        level: "error",
        error: {
          message: "Overloaded",
          status: 529,
          requestId: `req_011C${Math.random().toString(36).slice(2, 12)}`,
        },
        retryInMs: 1000 * 2 ** attempt,
        retryAttempt: attempt,
        maxRetries: 3,
      }),
    );
  }
  await pause(3000);
  await append(
    path,
    lines.assistant(
      [text(
        'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      )],
      { apiError: true, stopReason: "stop_sequence" },
    ),
  );
}
