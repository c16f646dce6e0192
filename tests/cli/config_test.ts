import assert from "node:assert/strict";
import { type Config, ConfigError, DEFAULTS, HELP, parseFlags } from "../../cli/config.ts";

function fails(argv: string[], message: string | RegExp): void {
  assert.throws(
    () => parseFlags(argv),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
      if (typeof message === "string") assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );
}

Deno.test("parseFlags() reads --no-session-state", () => {
  assert.equal(parseFlags([]).sessionState, true);
  assert.equal(parseFlags(["--no-session-state"]).sessionState, false);
});

Deno.test("parseFlags() reads --data-dir and --no-history", () => {
  const config = parseFlags(["--data-dir", "/var/lib/tb", "--no-history"]);
  assert.equal(config.dataDir, "/var/lib/tb");
  assert.equal(config.history, false);
});

Deno.test("parseFlags() with no flags gives the defaults", () => {
  const config = parseFlags([]);
  assert.deepEqual(config, {
    host: "127.0.0.1",
    port: 8787,
    watch: [],
    defaultSources: true,
    runningWindowMs: 90_000,
    scheduler: "auto",
    schedulerIntervalMs: 5_000,
    jobFilter: [],
    logLevel: "info",
    open: false,
    help: false,
    version: false,
    history: true,
    sessionState: true,
  });
  assert.equal(config.token, undefined);
  assert.notEqual(config, DEFAULTS, "a copy, not the shared defaults");
});

Deno.test("parseFlags() reads every flag", async (t) => {
  const cases: [string, string[], Partial<Config>][] = [
    ["--port", ["--port", "9000"], { port: 9000 }],
    ["--port=", ["--port=0"], { port: 0 }],
    ["--port at the top of its range", ["--port", "65535"], { port: 65535 }],
    ["--host", ["--host", "0.0.0.0"], { host: "0.0.0.0" }],
    ["--host IPv6", ["--host=::1"], { host: "::1" }],
    ["--token", ["--token", "s3cret"], { token: "s3cret" }],
    ["--no-default-sources", ["--no-default-sources"], { defaultSources: false }],
    ["--running-window in seconds", ["--running-window", "30"], { runningWindowMs: 30_000 }],
    ["--running-window maximum", ["--running-window", "86400"], {
      runningWindowMs: 86_400_000,
    }],
    ["--scheduler launchd", ["--scheduler", "launchd"], { scheduler: "launchd" }],
    ["--scheduler systemd", ["--scheduler", "systemd"], { scheduler: "systemd" }],
    ["--scheduler none", ["--scheduler=none"], { scheduler: "none" }],
    ["--scheduler-interval in seconds", ["--scheduler-interval", "60"], {
      schedulerIntervalMs: 60_000,
    }],
    ["--log-level debug", ["--log-level", "debug"], { logLevel: "debug" }],
    ["--log-level error", ["--log-level", "error"], { logLevel: "error" }],
    ["--open", ["--open"], { open: true }],
    ["--help", ["--help"], { help: true }],
    ["-h", ["-h"], { help: true }],
    ["--version", ["--version"], { version: true }],
    ["-V", ["-V"], { version: true }],
  ];
  for (const [name, argv, want] of cases) {
    await t.step(name, () => {
      assert.deepEqual(parseFlags(argv), { ...DEFAULTS, ...want });
    });
  }
});

Deno.test("parseFlags() collects repeated --watch and --job-filter in order", () => {
  const config = parseFlags([
    "--watch",
    "/srv/logs",
    "--job-filter",
    "com.me.",
    "--watch=/tmp/run.output",
    "--job-filter",
    "*claude*",
  ]);
  assert.deepEqual(config.watch, ["/srv/logs", "/tmp/run.output"]);
  assert.deepEqual(config.jobFilter, ["com.me.", "*claude*"]);
});

Deno.test("parseFlags() applies flags over a given base", () => {
  const base: Config = { ...DEFAULTS, watch: ["/from/base"], port: 1234, token: "t" };
  const config = parseFlags(["--watch", "/from/flag"], base);
  assert.deepEqual(config.watch, ["/from/base", "/from/flag"]);
  assert.equal(config.port, 1234);
  assert.equal(config.token, "t");
  assert.deepEqual(base.watch, ["/from/base"], "the base is not modified");
});

Deno.test("parseFlags() keeps the last value of a repeated single flag", () => {
  assert.equal(parseFlags(["--port", "1", "--port", "2"]).port, 2);
});

Deno.test("parseFlags() refuses unknown flags and stray arguments with a pointer to --help", async (t) => {
  await t.step(
    "an unknown flag",
    () => fails(["--bogus"], "Unknown option '--bogus' (see --help)"),
  );
  await t.step(
    "an unknown short flag",
    () => fails(["-x"], /^Unknown option '-x'.*\(see --help\)$/),
  );
  await t.step("a positional argument", () => fails(["serve"], /'serve'.*\(see --help\)$/s));
  await t.step(
    "a value flag without its value",
    () => fails(["--port"], /'--port.*\(see --help\)$/s),
  );
  await t.step("a value flag followed by another flag", () => {
    fails(["--token", "--open"], /'--token' argument is ambiguous.*\(see --help\)$/s);
  });
  await t.step("a value on a boolean flag", () => {
    fails(["--open=yes"], "Option '--open' does not take an argument (see --help)");
  });
});

Deno.test("parseFlags() refuses bad values, naming the flag and the value", async (t) => {
  const cases: [string[], string][] = [
    [["--port", "http"], "--port needs a whole number, got 'http'"],
    [["--port", "80.5"], "--port needs a whole number, got '80.5'"],
    [["--port", "1e3"], "--port needs a whole number, got '1e3'"],
    [["--port="], "--port needs a whole number, got ''"],
    [["--port", "65536"], "--port must be between 0 and 65535, got 65536"],
    [["--port=-1"], "--port needs a whole number, got '-1'"],
    [["--running-window", "0"], "--running-window must be between 1 and 86400, got 0"],
    [["--running-window", "86401"], "--running-window must be between 1 and 86400, got 86401"],
    [["--running-window", "1.5"], "--running-window needs a whole number, got '1.5'"],
    [["--scheduler-interval", "0"], "--scheduler-interval must be between 1 and 3600, got 0"],
    [["--scheduler-interval", "3601"], "--scheduler-interval must be between 1 and 3600, got 3601"],
    [
      ["--scheduler", "cron"],
      "--scheduler must be one of auto, launchd, systemd, none, got 'cron'",
    ],
    [
      ["--scheduler", "LAUNCHD"],
      "--scheduler must be one of auto, launchd, systemd, none, got 'LAUNCHD'",
    ],
    [["--log-level", "trace"], "--log-level must be one of debug, info, warn, error, got 'trace'"],
  ];
  for (const [argv, message] of cases) {
    await t.step(argv.join(" "), () => fails(argv, message));
  }
});

Deno.test("HELP names every flag parseFlags() accepts", () => {
  for (
    const flag of [
      "--port",
      "--host",
      "--token",
      "--watch",
      "--no-default-sources",
      "--running-window",
      "--scheduler ",
      "--scheduler-interval",
      "--job-filter",
      "--log-level",
      "--open",
      "-h, --help",
      "-V, --version",
    ]
  ) {
    assert.ok(HELP.includes(flag), `HELP mentions ${flag}`);
  }
  assert.ok(HELP.includes("default 8787"));
});
