/** `notes-cli`: a session that finished two hours ago. */
import { ClaudeLines, text, thinking, toolUse } from "./claude_lines.ts";
import { append, HOME, pastClock } from "./shared.ts";

export async function writeFinishedSession(folder: string): Promise<void> {
  await Deno.mkdir(folder, { recursive: true });
  const s = new ClaudeLines({ sessionId: crypto.randomUUID(), cwd: `${HOME}/notes-cli` });
  s.clock = pastClock(130);
  const path = `${folder}/${s.sessionId}.jsonl`;
  const read = toolUse("Read", { file_path: `${HOME}/notes-cli/src/dates.ts` });
  const edit = toolUse("Edit", {
    file_path: `${HOME}/notes-cli/src/dates.ts`,
    old_string: "  return new Date(text);",
    new_string: "  return Temporal.PlainDate.from(text);",
  });
  await append(
    path,
    s.user(
      "`notes list --since 2024-03-01` shows notes from February. Can you fix the date parsing?",
    ),
    s.assistant([
      thinking(
        '`new Date("2024-03-01")` is parsed as UTC midnight, which is still February 29th in any zone west of UTC. A plain date is what the flag means.',
      ),
      text(
        "Date-only strings are parsed as UTC midnight, so west of UTC they land on the previous day. Let me look at the parser.",
      ),
      read,
    ]),
    s.toolResult(
      read.id,
      "     1\texport function parseSince(text: string): Date {\n     2\t  return new Date(text);\n     3\t}\n",
      {
        type: "text",
        file: {
          filePath: `${HOME}/notes-cli/src/dates.ts`,
          content:
            "export function parseSince(text: string): Date {\n  return new Date(text);\n}\n",
          numLines: 3,
          startLine: 1,
          totalLines: 3,
        },
      },
    ),
    s.assistant([edit]),
    s.toolResult(edit.id, `The file ${HOME}/notes-cli/src/dates.ts has been updated.`, {
      filePath: `${HOME}/notes-cli/src/dates.ts`,
      oldString: "  return new Date(text);",
      newString: "  return Temporal.PlainDate.from(text);",
      structuredPatch: [{
        oldStart: 1,
        oldLines: 3,
        newStart: 1,
        newLines: 3,
        lines: [
          "-export function parseSince(text: string): Date {",
          "-  return new Date(text);",
          "+export function parseSince(text: string): Temporal.PlainDate {",
          "+  return Temporal.PlainDate.from(text);",
          " }",
        ],
      }],
      userModified: false,
      replaceAll: false,
    }),
    s.assistant([
      text(
        "Fixed: `--since` is now a plain calendar date, so March 1st means March 1st in every time zone.",
      ),
    ]),
    s.system("turn_duration", { durationMs: 41_250 }),
    s.aiTitle("Fix --since date parsing across time zones"),
  );
  const then = new Date(Date.now() - 2 * 3600_000);
  await Deno.utime(path, then, then);
}
