/**
 * The login-item definitions tailboard installs: a launchd LaunchAgent plist
 * (macOS) and a systemd user unit (Linux). Pure: options in, file text out, so
 * both are tested on any OS; `install.ts` writes them and calls the service
 * manager.
 */

/** The LaunchAgent's label, reverse-DNS as launchd expects. */
export const LABEL = "dev.tailboard.daemon";

/** The systemd user unit's name. */
export const UNIT_NAME = "tailboard.service";

/** What `generatePlist` and `generateUnit` need. */
export interface ServiceOptions {
  /** The whole command line, the program's absolute path first. */
  argv: string[];
  /** Environment the daemon starts with (its `TAILBOARD_*` settings). @default {} */
  env?: Record<string, string>;
}

/** Options for `generatePlist`. */
export interface PlistOptions extends ServiceOptions {
  /** @default LABEL */
  label?: string;
  /** Absolute path of the stdout log, under ~/Library/Logs/tailboard/. */
  stdoutPath: string;
  /** Absolute path of the stderr log (tailboard's structured log lines). */
  stderrPath: string;
}

/**
 * A LaunchAgent that starts tailboard at login (`RunAtLoad`) and again
 * whenever it stops (`KeepAlive`). No `WorkingDirectory`: launchd starts it in
 * `/`, and tailboard reads nothing from its working directory.
 */
export function generatePlist(opts: PlistOptions): string {
  checkArgv(opts.argv);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`,
    `<plist version="1.0">`,
    `<dict>`,
    `  <key>Label</key>`,
    `  <string>${xml(opts.label ?? LABEL)}</string>`,
    `  <key>ProgramArguments</key>`,
    `  <array>`,
    ...opts.argv.map((arg) => `    <string>${xml(arg)}</string>`),
    `  </array>`,
  ];
  const env = Object.entries(opts.env ?? {});
  if (env.length > 0) {
    lines.push(`  <key>EnvironmentVariables</key>`, `  <dict>`);
    for (const [name, value] of env) {
      lines.push(`    <key>${xml(name)}</key>`, `    <string>${xml(value)}</string>`);
    }
    lines.push(`  </dict>`);
  }
  lines.push(
    `  <key>RunAtLoad</key>`,
    `  <true/>`,
    `  <key>KeepAlive</key>`,
    `  <true/>`,
    `  <key>StandardOutPath</key>`,
    `  <string>${xml(opts.stdoutPath)}</string>`,
    `  <key>StandardErrorPath</key>`,
    `  <string>${xml(opts.stderrPath)}</string>`,
    `</dict>`,
    `</plist>`,
    ``,
  );
  return lines.join("\n");
}

/**
 * A systemd user unit: started with the user's session (`WantedBy=
 * default.target`), restarted if it crashes. Its log goes to the journal.
 */
export function generateUnit(opts: ServiceOptions): string {
  checkArgv(opts.argv);
  const lines = [
    `[Unit]`,
    `Description=tailboard: every AI coding agent on this machine, live, in one browser tab`,
    ``,
    `[Service]`,
    `Type=simple`,
    `ExecStart=${opts.argv.map(quoteExecArg).join(" ")}`,
  ];
  for (const [name, value] of Object.entries(opts.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(`not an environment variable name: ${JSON.stringify(name)}`);
    }
    lines.push(`Environment=${quote(`${name}=${value}`, false)}`);
  }
  lines.push(
    `Restart=on-failure`,
    `RestartSec=5`,
    ``,
    `[Install]`,
    `WantedBy=default.target`,
    ``,
  );
  return lines.join("\n");
}

/**
 * The words of a unit's `ExecStart=` value (or, with `exec: false`, an
 * `Environment=` value), undoing `generateUnit`'s quoting: double quotes,
 * backslash escapes, `%%`, and in command lines `$$`.
 */
export function parseUnitWords(value: string, { exec = true } = {}): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (value[i] === " " || value[i] === "\t") i++;
    if (i >= value.length) break;
    let word = "";
    const quoted = value[i] === '"';
    if (quoted) i++;
    for (; i < value.length; i++) {
      const ch = value[i]!;
      if (quoted && ch === '"') {
        i++;
        break;
      }
      if (!quoted && (ch === " " || ch === "\t")) break;
      if (ch === "\\" && i + 1 < value.length) {
        const next = value[++i]!;
        word += next === "n" ? "\n" : next === "t" ? "\t" : next;
      } else if ((ch === "%" || (exec && ch === "$")) && value[i + 1] === ch) {
        word += ch;
        i++;
      } else {
        word += ch;
      }
    }
    words.push(word);
  }
  return words;
}

/** The value of the first `Key=` line of a unit file, or null. */
export function unitValue(unit: string, key: string): string | null {
  for (const line of unit.split("\n")) {
    if (line.startsWith(`${key}=`)) return line.slice(key.length + 1);
  }
  return null;
}

/** Every `Environment=` assignment of a unit file. */
export function unitEnvironment(unit: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of unit.split("\n")) {
    if (!line.startsWith("Environment=")) continue;
    for (const word of parseUnitWords(line.slice("Environment=".length), { exec: false })) {
      const at = word.indexOf("=");
      if (at > 0) env[word.slice(0, at)] = word.slice(at + 1);
    }
  }
  return env;
}

/** launchd and systemd both need the program as an absolute path. */
function checkArgv(argv: string[]): void {
  if (argv.length === 0 || !argv[0]!.startsWith("/")) {
    throw new Error(`the program must be an absolute path, got ${JSON.stringify(argv[0])}`);
  }
}

/** XML 1.0 cannot carry most control characters, even escaped. */
function xml(text: string): string {
  // deno-lint-ignore no-control-regex -- these are exactly the characters to refuse
  if (/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/.test(text)) {
    throw new Error(`a plist string cannot hold control characters: ${JSON.stringify(text)}`);
  }
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

function quoteExecArg(arg: string): string {
  return quote(arg, true);
}

/**
 * systemd's own quoting (systemd.syntax(7), systemd.service(7) "Command
 * lines"): double quotes around anything with a space, quote or backslash;
 * `\` escapes inside; `%` is a specifier everywhere, so `%%`; in ExecStart `$`
 * expands variables, so `$$`.
 */
function quote(text: string, exec: boolean): string {
  let body = text.replaceAll("%", "%%");
  if (exec) body = body.replaceAll("$", "$$$$");
  const needs = body === "" || /[\s"'\\;]/.test(body);
  if (!needs) return body;
  body = body.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")
    .replaceAll("\t", "\\t");
  return `"${body}"`;
}
