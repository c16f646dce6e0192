import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

/** The cookie a page load trades `?token=` for. */
export const TOKEN_COOKIE = "tailboard_token";

export interface GuardOptions {
  /** Host names the server answers to (with the port added below). */
  hosts: string[];
  port: number;
  /** When set, every request must carry it (header, cookie, or `?token=` once). */
  token?: string;
}

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/** The Host header values a server bound to `host` accepts. */
export function allowedHosts(host: string, port: number): string[] {
  const names = isLoopback(host)
    ? LOOPBACK_NAMES
    : [host.includes(":") ? `[${host}]` : host, ...LOOPBACK_NAMES];
  const withPort = names.map((n) => `${n}:${port}`);
  // Browsers leave the scheme's default port out of Host and Origin.
  return port === 80 ? [...withPort, ...names] : withPort;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" ||
    /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * DNS-rebinding and cross-site defence: a request must name this server in its
 * Host header, and a browser request from another origin is refused. No CORS
 * headers are ever sent.
 */
export function guard(
  { hosts, token, openHost = false }: { hosts: string[]; token?: string; openHost?: boolean },
): MiddlewareHandler {
  const allowed = new Set(hosts.map((h) => h.toLowerCase()));
  const origins = new Set(hosts.map((h) => `http://${h.toLowerCase()}`));
  // Bound beyond loopback (only ever with a token): clients reach it by names
  // this process cannot know, and the token is what keeps strangers out.
  const anyHost = openHost && token !== undefined;
  return async (c, next) => {
    const host = (c.req.header("host") ?? "").toLowerCase();
    if (!anyHost && !allowed.has(host)) {
      return c.json(
        { error: `refused: Host '${host}' is not this server (expected ${hosts[0]})` },
        421,
      );
    }
    const origin = c.req.header("origin");
    if (origin !== undefined && !anyHost && !origins.has(origin.toLowerCase())) {
      return c.json({ error: `refused: requests from origin '${origin}' are not allowed` }, 403);
    }
    if (token) {
      const fromQuery = c.req.query("token");
      const queryMatches = await sameToken(fromQuery, token);
      if (queryMatches && c.req.method === "GET" && !c.req.path.startsWith("/api/")) {
        // Trade the one-time query token for a cookie, and drop it from the URL.
        // Hono percent-encodes the value, so `;`, `=`, spaces and quotes survive.
        const url = new URL(c.req.url);
        url.searchParams.delete("token");
        setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
        return c.redirect(url.pathname + url.search, 303);
      }
      const bearer = c.req.header("authorization")?.replace(/^Bearer\s+/i, "");
      const cookie = getCookie(c, TOKEN_COOKIE);
      const allowed = queryMatches || (await sameToken(bearer, token)) ||
        (await sameToken(cookie, token));
      if (!allowed) {
        return c.json(
          { error: "a token is required: open the URL tailboard printed at start-up" },
          401,
        );
      }
    }
    await next();
  };
}

/**
 * Whether `given` is the token, in time that does not depend on where they
 * differ or how long `given` is: both are hashed, then every byte compared.
 */
export async function sameToken(given: string | undefined, token: string): Promise<boolean> {
  if (given === undefined) return false;
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(token)),
  ]);
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}
