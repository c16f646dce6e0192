/**
 * Asks a port whether tailboard is serving there (`GET /api/health`): for a
 * second instance that finds its port taken, and for `status` and `install`.
 */

/** What answered at a URL. */
export type Health =
  | { answer: "tailboard"; version: string; agents: number }
  /** Something answered as tailboard does, asking for a token we do not have. */
  | { answer: "tailboard-locked" }
  | { answer: "other"; detail: string }
  | { answer: "none"; detail: string };

/** Options for `probeHealth`. */
export interface ProbeOptions {
  token?: string;
  /** @default 1500 */
  timeoutMs?: number;
}

/** The URL a browser on this machine uses for a daemon bound to `host:port`. */
export function localUrl(host: string, port: number): string {
  const name = host === "0.0.0.0" || host === "::" || host === "[::]" ? "127.0.0.1" : host;
  return `http://${name.includes(":") && !name.startsWith("[") ? `[${name}]` : name}:${port}/`;
}

/** Asks `url` (a daemon's root URL) for its health; never throws. */
export async function probeHealth(url: string, opts: ProbeOptions = {}): Promise<Health> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  try {
    const res = await fetch(new URL("api/health", url), {
      headers,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 1500),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: some other program; reported below by status and body.
    }
    if (res.ok && body.ok === true && typeof body.version === "string") {
      return {
        answer: "tailboard",
        version: body.version,
        agents: typeof body.agents === "number" ? body.agents : 0,
      };
    }
    if (res.status === 401 && String(body.error ?? "").includes("token")) {
      return { answer: "tailboard-locked" };
    }
    return { answer: "other", detail: `HTTP ${res.status}` };
  } catch (error) {
    return { answer: "none", detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The kind answer to "port in use": when a tailboard already serves the port
 * `config` asks for, the message that says where; otherwise null.
 */
export async function alreadyRunning(
  config: { host: string; port: number; token?: string },
): Promise<string | null> {
  if (config.port === 0) return null;
  const url = localUrl(config.host, config.port);
  const health = await probeHealth(url, { token: config.token, timeoutMs: 1000 });
  if (health.answer !== "tailboard" && health.answer !== "tailboard-locked") return null;
  const which = health.answer === "tailboard" ? `tailboard ${health.version}` : "tailboard";
  return `${which} is already running at ${url}: open that, or stop it first ` +
    `(tailboard status tells whether it is the login item), or pick another --port`;
}
