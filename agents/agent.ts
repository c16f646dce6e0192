/**
 * An agent's identity. The wire shapes live in `core/api.ts`, where the UI
 * type-imports them too.
 */
export type { Agent, AgentStatus, AgentUsage, StatusKind } from "../core/api.ts";

/**
 * A stable opaque id for a path: 64 bits of FNV-1a, in hex. Ids survive a
 * restart (bookmarks keep working) and say nothing about the path.
 */
export function agentIdOf(path: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 13);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}
