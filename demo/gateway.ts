/**
 * `gateway`: the long-running session (thinking, Grep, Read, Edit with a
 * structured patch, Bash) that never stops; it starts a subagent through a
 * Task call (2.1.x layout: `<session>/subagents/agent-<id>.jsonl` and its
 * `.meta.json`), a dev server and background test runs whose `.output`
 * prints ANSI colours.
 */
import { agentId, ClaudeLines, text, thinking, toolUse } from "./claude_lines.ts";
import {
  append,
  BOLD,
  GREEN,
  GREY,
  HOME,
  numbered,
  pastClock,
  type Pause,
  RED,
  RESET,
  type Session,
  YELLOW,
} from "./shared.ts";

const GATEWAY = `${HOME}/gateway`;

export async function writeGatewayHistory(
  folder: string,
  tasks: string,
): Promise<Session & { devServerOutput: string }> {
  await Deno.mkdir(folder, { recursive: true });
  const lines = new ClaudeLines({
    sessionId: crypto.randomUUID(),
    cwd: GATEWAY,
    gitBranch: "feat/rate-limit",
  });
  lines.clock = pastClock(6);
  const path = `${folder}/${lines.sessionId}.jsonl`;
  const grep = toolUse("Grep", {
    pattern: "app\\.use\\(",
    path: "src",
    output_mode: "content",
    "-n": true,
  });
  const read = toolUse("Read", { file_path: `${GATEWAY}/src/server.ts` });
  const dev = toolUse("Bash", {
    command: "deno task dev",
    description: "Start the dev server",
    run_in_background: true,
  });
  const devTask = `b${Math.random().toString(36).slice(2, 9)}`;
  const devServerOutput = `${tasks}/${devTask}.output`;
  await append(
    devServerOutput,
    `${GREEN}Task${RESET} ${BOLD}dev${RESET} deno run --watch --allow-net --allow-env src/main.ts\n`,
    `${GREEN}Watcher${RESET} Process started.\n`,
    `Listening on ${BOLD}http://localhost:8000/${RESET}\n`,
  );
  await append(
    path,
    lines.user(
      "Add per-client rate limiting to the public API: 100 requests a minute per API key, 429 with Retry-After past that. Keep the tests green.",
    ),
    lines.assistant([
      thinking(
        "Rate limiting belongs in middleware, keyed by the API key the auth middleware already resolves. First: where are middlewares registered, and does auth run before the routes?",
      ),
      text("I'll start by finding where the middleware chain is set up."),
      grep,
    ]),
    lines.toolResult(
      grep.id,
      'src/server.ts:14:app.use(logger());\nsrc/server.ts:15:app.use(auth());\nsrc/admin.ts:9:admin.use(requireRole("admin"));',
      {
        mode: "content",
        numFiles: 2,
        filenames: [],
        content:
          'src/server.ts:14:app.use(logger());\nsrc/server.ts:15:app.use(auth());\nsrc/admin.ts:9:admin.use(requireRole("admin"));',
        numLines: 3,
      },
    ),
    lines.assistant([read]),
    lines.toolResult(read.id, numbered(SERVER_TS), {
      type: "text",
      file: {
        filePath: `${GATEWAY}/src/server.ts`,
        content: SERVER_TS,
        numLines: SERVER_TS.split("\n").length,
        startLine: 1,
        totalLines: SERVER_TS.split("\n").length,
      },
    }),
    lines.assistant([
      text("I'll keep the dev server running while I work, to try requests by hand."),
      dev,
    ]),
    lines.toolResult(dev.id, `Command running in background with ID: ${devTask}`, {
      stdout: "",
      stderr: "",
      interrupted: false,
      isImage: false,
      backgroundTaskId: devTask,
    }),
    lines.aiTitle("Per-client rate limiting for the public API"),
  );
  await baselineRun(lines, path, tasks);
  lines.clock = () => new Date();
  return { lines, path, devServerOutput };
}

/**
 * Before any change, a baseline test run in the background that fails (a
 * flaky test on main): its task shows as failed from the first second.
 */
async function baselineRun(lines: ClaudeLines, path: string, tasks: string): Promise<void> {
  const taskId = `b${Math.random().toString(36).slice(2, 9)}`;
  const output = `${tasks}/${taskId}.output`;
  const bash = toolUse("Bash", {
    command: "deno test --allow-net --allow-env tests/orders_test.ts",
    description: "Baseline: run the orders tests",
    run_in_background: true,
  });
  await append(
    output,
    `${GREY}running 5 tests from ./tests/orders_test.ts${RESET}\n`,
    `paginates with ?cursor ... ${RED}FAILED${RESET}\n`,
    `${RED}${BOLD}error${RESET}: AssertionError: expected 20 items, got 19\n`,
    `${RED}FAILED${RESET} | 4 passed | 1 failed\n`,
  );
  await append(
    path,
    lines.assistant([text("First a baseline: the orders tests, in the background."), bash]),
    lines.toolResult(bash.id, `Command running in background with ID: ${taskId}`, {
      stdout: "",
      stderr: "",
      interrupted: false,
      isImage: false,
      backgroundTaskId: taskId,
    }),
    lines.user(
      `<task-notification>\n<task-id>${taskId}</task-id>\n<output-file>${output}</output-file>\n` +
        `<status>failed</status>\n<summary>Background command "Baseline: run the orders tests" ` +
        `failed with exit code 1</summary>\n</task-notification>`,
    ),
    lines.assistant([
      text("The baseline already has one flaky pagination test; I'll leave it and note it."),
    ]),
  );
}

const SERVER_TS = `import { Hono } from "hono";
import { auth } from "./auth.ts";
import { logger } from "./logger.ts";
import { orders } from "./routes/orders.ts";
import { products } from "./routes/products.ts";

export const app = new Hono();

// Every request is logged, then authenticated; routes below may assume
// c.get("apiKey") is set.
//
// Public routes only: the admin app mounts its own chain.

app.use(logger());
app.use(auth());
app.route("/orders", orders);
app.route("/products", products);`;

/** The session's work, forever: a subagent first, then edits and test runs in turns. */
export async function gatewayLoop(s: Session, tasks: string, pause: Pause): Promise<void> {
  await pause(1500);
  await runSubagent(s, pause);
  for (let turn = 0;; turn++) {
    await editAndTest(s, tasks, turn, pause);
    await pause(9000);
    const prompt = FOLLOW_UPS[turn % FOLLOW_UPS.length]!;
    await append(s.path, s.lines.user(prompt));
    await pause(1500);
  }
}

const FOLLOW_UPS = [
  "Also exempt the /health endpoint, load balancers hit it every second.",
  "Can the limit be configured per plan? Enterprise keys should get 1000/min.",
  "Add a metric for rejected requests so we can alert on it.",
];

/** A Task call in the parent; the subagent's own transcript fills in beside it. */
async function runSubagent(s: Session, pause: Pause): Promise<void> {
  const id = agentId();
  const description = "Audit routes for missing limits";
  const prompt =
    "List every route under src/routes and say which ones bypass the shared middleware chain (e.g. mounted on a sub-app with its own .use calls). Report file:line for each.";
  const task = toolUse("Task", { description, prompt, subagent_type: "Explore" });
  await append(
    s.path,
    s.lines.assistant([
      text(
        "Before wiring the limiter in, I'll have a subagent check that no route is mounted outside that chain.",
      ),
      task,
    ]),
  );
  const folder = `${s.path.slice(0, -".jsonl".length)}/subagents`;
  await Deno.mkdir(folder, { recursive: true });
  await Deno.writeTextFile(
    `${folder}/agent-${id}.meta.json`,
    JSON.stringify({ agentType: "Explore", description, spawnDepth: 1 }),
  );
  const sub = new ClaudeLines({
    sessionId: s.lines.sessionId,
    cwd: GATEWAY,
    gitBranch: "feat/rate-limit",
    agentId: id,
    model: "claude-haiku-4-5-20251001",
  });
  const path = `${folder}/agent-${id}.jsonl`;
  const glob = toolUse("Glob", { pattern: "src/routes/**/*.ts" });
  const grep = toolUse("Grep", {
    pattern: "new Hono\\(|\\.route\\(",
    path: "src",
    output_mode: "content",
    "-n": true,
  });
  await append(path, sub.user(prompt));
  await pause(1200);
  await append(path, sub.assistant([text("Listing the route modules first."), glob]));
  await pause(1500);
  const files = ["src/routes/orders.ts", "src/routes/products.ts", "src/routes/webhooks.ts"];
  await append(
    path,
    sub.toolResult(glob.id, files.map((f) => `${GATEWAY}/${f}`).join("\n"), {
      filenames: files.map((f) => `${GATEWAY}/${f}`),
      durationMs: 14,
      numFiles: files.length,
      truncated: false,
    }),
  );
  await pause(1800);
  await append(path, sub.assistant([grep]));
  await pause(1400);
  const found =
    'src/server.ts:7:export const app = new Hono();\nsrc/server.ts:16:app.route("/orders", orders);\nsrc/server.ts:17:app.route("/products", products);\nsrc/routes/webhooks.ts:4:export const webhooks = new Hono();\nsrc/main.ts:12:Deno.serve(app.fetch);\nsrc/main.ts:13:Deno.serve({ port: 8081 }, webhooks.fetch);';
  await append(
    path,
    sub.toolResult(grep.id, found, {
      mode: "content",
      numFiles: 3,
      filenames: [],
      content: found,
      numLines: 6,
    }),
  );
  await pause(2500);
  const report =
    "Two route groups go through the shared chain (`/orders`, `/products`, mounted in src/server.ts:16-17).\n\n**One bypasses it:** `webhooks` (src/routes/webhooks.ts:4) is served on its own port from src/main.ts:13, so neither `auth()` nor a limiter on `app` would apply. That is probably intended for signed webhooks, but worth a deliberate decision.";
  await append(path, sub.assistant([text(report)]));
  await pause(1200);
  await append(
    s.path,
    s.lines.toolResult(task.id, report, {
      status: "completed",
      prompt,
      agentId: id,
      content: [{ type: "text", text: report }],
      totalDurationMs: 11_900,
      totalTokens: 18_342,
      totalToolUseCount: 2,
    }),
  );
}

/** Edit the server, start the tests in the background, let their output stream in. */
async function editAndTest(s: Session, tasks: string, turn: number, pause: Pause): Promise<void> {
  const { lines, path } = s;
  await pause(2000);
  const oldString = turn === 0 ? "app.use(auth());" : "app.use(rateLimit(limits));";
  const newString = turn === 0
    ? "app.use(auth());\napp.use(rateLimit({ perMinute: 100 }));"
    : "app.use(rateLimit(limits));\napp.use(metrics());";
  const edit = toolUse("Edit", {
    file_path: `${GATEWAY}/src/server.ts`,
    old_string: oldString,
    new_string: newString,
  });
  await append(
    path,
    lines.assistant([
      thinking(
        turn === 0
          ? "The webhooks port is separate and signed, so it should stay unlimited. The limiter goes right after auth() so the key is known."
          : "Same place in the chain; the change is small enough to make directly.",
      ),
      text(
        turn === 0
          ? "Adding the limiter right after `auth()`, so it can key on the API key."
          : "Updating the middleware chain.",
      ),
      edit,
    ]),
  );
  await pause(2200);
  await append(
    path,
    lines.toolResult(edit.id, `The file ${GATEWAY}/src/server.ts has been updated.`, {
      filePath: `${GATEWAY}/src/server.ts`,
      oldString,
      newString,
      originalFile: SERVER_TS,
      structuredPatch: [{
        oldStart: 14,
        oldLines: 3,
        newStart: 14,
        newLines: 4,
        lines: [
          turn === 0 ? " app.use(logger());" : " app.use(auth());",
          ` ${oldString}`,
          `+${newString.split("\n")[1]}`,
          ' app.route("/orders", orders);',
        ],
      }],
      userModified: false,
      replaceAll: false,
    }),
  );
  await pause(2500);
  const taskId = `b${Math.random().toString(36).slice(2, 9)}`;
  const bash = toolUse("Bash", {
    command: "deno test --allow-net --allow-env",
    description: "Run the test suite",
    run_in_background: true,
  });
  await append(path, lines.assistant([text("Running the tests in the background."), bash]));
  await pause(800);
  const output = `${tasks}/${taskId}.output`;
  await Deno.writeTextFile(output, "");
  await append(
    path,
    lines.toolResult(bash.id, `Command running in background with ID: ${taskId}`, {
      stdout: "",
      stderr: "",
      interrupted: false,
      isImage: false,
      backgroundTaskId: taskId,
    }),
  );
  const failing = turn === 0;
  for (const line of testRun(failing)) {
    await pause(350 + Math.random() * 700);
    await append(output, line + "\n");
  }
  await pause(1500);
  // Claude Code tells the session when a background task ends.
  await append(
    path,
    lines.user(
      `<task-notification>\n<task-id>${taskId}</task-id>\n<output-file>${output}</output-file>\n` +
        `<status>${failing ? "failed" : "completed"}</status>\n<summary>Background command ` +
        `"Run the test suite" ${
          failing ? "failed with exit code 1" : "completed (exit code 0)"
        }</summary>\n</task-notification>`,
    ),
  );
  await pause(1000);
  if (failing) {
    const read = toolUse("Read", {
      file_path: `${GATEWAY}/tests/rate_limit_test.ts`,
      offset: 40,
      limit: 12,
    });
    await append(
      path,
      lines.assistant([text("One failure: the Retry-After header. Looking at the test."), read]),
    );
    await pause(1500);
    const body =
      '  const res = await hit(app, key, 101);\n  assertEquals(res.status, 429);\n  assertEquals(res.headers.get("retry-after"), "60");';
    await append(
      path,
      lines.toolResult(read.id, numbered(body), {
        type: "text",
        file: {
          filePath: `${GATEWAY}/tests/rate_limit_test.ts`,
          content: body,
          numLines: 3,
          startLine: 40,
          totalLines: 88,
        },
      }),
    );
    await pause(2500);
  }
  await append(
    path,
    lines.assistant([
      text(
        failing
          ? "The limiter counts in a fixed window, so Retry-After should be the seconds left in the window, not always 60. I'll fix that next; everything else passes (47 of 48)."
          : "All 48 tests pass. The change is in `src/server.ts`; nothing else needed touching.",
      ),
    ]),
    lines.system("turn_duration", { durationMs: 38_000 + Math.floor(Math.random() * 40_000) }),
  );
}

/** The dev server's request log, one line every few seconds, forever. */
export async function devServer(output: string, pause: Pause): Promise<void> {
  const routes = [
    ["GET", "/products?page=2"],
    ["GET", "/orders"],
    ["POST", "/orders"],
    ["GET", "/products/sku-1042"],
    ["GET", "/health"],
  ] as const;
  for (let i = 0;; i++) {
    await pause(1500 + Math.random() * 3500);
    const [method, route] = routes[i % routes.length]!;
    const limited = i % 11 === 10;
    const code = limited ? 429 : method === "POST" ? 201 : 200;
    const colour = limited ? YELLOW : GREEN;
    const time = new Date().toISOString().slice(11, 23);
    await append(
      output,
      `${GREY}${time}${RESET} ${BOLD}${method}${RESET} ${route} ${colour}${code}${RESET} ${GREY}${
        2 + Math.floor(Math.random() * 40)
      }ms${RESET}\n`,
    );
  }
}

/** What `deno test` prints, colours and all. */
function testRun(failing: boolean): string[] {
  const ms = () => `${GREY}(${1 + Math.floor(Math.random() * 30)}ms)${RESET}`;
  const ok = (name: string) => `${name} ... ${GREEN}ok${RESET} ${ms()}`;
  const out = [
    `${GREEN}Check${RESET} file://${GATEWAY}/tests/orders_test.ts`,
    `${GREEN}Check${RESET} file://${GATEWAY}/tests/rate_limit_test.ts`,
    `${GREY}running 5 tests from ./tests/orders_test.ts${RESET}`,
    ok("lists orders for the caller's account"),
    ok("refuses another account's order with 404"),
    ok("creates an order and returns its id"),
    ok("rejects an order without items (400)"),
    ok("paginates with ?cursor"),
    `${GREY}running 4 tests from ./tests/rate_limit_test.ts${RESET}`,
    ok("allows 100 requests a minute per key"),
    failing
      ? `answers 429 with Retry-After past the limit ... ${RED}FAILED${RESET} ${ms()}`
      : ok("answers 429 with Retry-After past the limit"),
    ok("counts keys separately"),
    ok("resets after the window"),
  ];
  if (failing) {
    out.push(
      "",
      `${BOLD}${RED} ERRORS ${RESET}`,
      "",
      `answers 429 with Retry-After past the limit ${GREY}=> ./tests/rate_limit_test.ts:38:6${RESET}`,
      `${RED}${BOLD}error${RESET}: AssertionError: Values are not equal.`,
      "",
      `    ${GREY}[Diff]${RESET} ${RED}${BOLD}Actual${RESET} / ${GREEN}${BOLD}Expected${RESET}`,
      "",
      `${RED}${BOLD}-   "60"${RESET}`,
      `${GREEN}${BOLD}+   "37"${RESET}`,
      "",
      `${RED}FAILED${RESET} | 47 passed | 1 failed ${GREY}(2s)${RESET}`,
    );
  } else {
    out.push("", `${GREEN}ok${RESET} | 48 passed | 0 failed ${GREY}(2s)${RESET}`);
  }
  return out;
}
