import assert from "node:assert/strict";
import {
  type Config,
  ConfigError,
  defaultConfigPath,
  DEFAULTS,
  ENV_NAMES,
  HELP,
  loadConfig,
  parseFlags,
} from "../../cli/config.ts";

const HOME = "/home/dev";
const FILE = `${HOME}/.config/tailboard/config.json`;

/** loadConfig over an in-memory file system of config files. */
function load(
  argv: string[],
  env: Record<string, string> = {},
  files: Record<string, string> = {},
): { config: Config; file: string | null } {
  return loadConfig({ argv, env, home: HOME, readFile: (path) => files[path] ?? null });
}

function fails(run: () => unknown, message: string | RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

Deno.test("loadConfig() with nothing set gives the defaults and reads no file", () => {
  assert.deepEqual(load([]), { config: DEFAULTS, file: null });
});

Deno.test("loadConfig() precedence is flags > env > config file > defaults", async (t) => {
  const files = { [FILE]: JSON.stringify({ port: 1111, logLevel: "warn", scheduler: "none" }) };
  await t.step("the file over the defaults", () => {
    const { config, file } = load([], {}, files);
    assert.equal(file, FILE);
    assert.equal(config.port, 1111);
    assert.equal(config.logLevel, "warn");
    assert.equal(config.host, DEFAULTS.host, "unset keys keep their defaults");
  });
  await t.step("the environment over the file", () => {
    const { config } = load([], { TAILBOARD_PORT: "2222" }, files);
    assert.equal(config.port, 2222);
    assert.equal(config.logLevel, "warn", "the file still counts where env is silent");
  });
  await t.step("flags over the environment", () => {
    const { config } = load(["--port", "3333"], { TAILBOARD_PORT: "2222" }, files);
    assert.equal(config.port, 3333);
    assert.equal(config.scheduler, "none");
  });
  await t.step("an empty environment variable counts as unset", () => {
    assert.equal(load([], { TAILBOARD_PORT: "" }, files).config.port, 1111);
  });
});

Deno.test("loadConfig() adds up lists across the layers, in precedence order last", () => {
  const { config } = load(
    ["--watch", "/from/flag", "--watch=~/flag-b", "--job-filter", "flag.*"],
    { TAILBOARD_WATCH: "/env/a:~/env-b", TAILBOARD_JOB_FILTER: "env.one, env.two" },
    { [FILE]: JSON.stringify({ watch: ["/file/a", "logs", "~/notes"], jobFilter: ["file."] }) },
  );
  assert.deepEqual(config.watch, [
    "/file/a",
    `${HOME}/.config/tailboard/logs`,
    `${HOME}/notes`,
    "/env/a",
    `${HOME}/env-b`,
    "/from/flag",
    `${HOME}/flag-b`,
  ]);
  assert.deepEqual(config.jobFilter, ["file.", "env.one", "env.two", "flag.*"]);
});

Deno.test("loadConfig() reads every setting from the environment", () => {
  const { config } = load([], {
    TAILBOARD_PORT: "9000",
    TAILBOARD_HOST: "::1",
    TAILBOARD_TOKEN: "s3cret",
    TAILBOARD_DEFAULT_SOURCES: "false",
    TAILBOARD_RUNNING_WINDOW: "30",
    TAILBOARD_SCHEDULER: "systemd",
    TAILBOARD_SCHEDULER_INTERVAL: "60",
    TAILBOARD_LOG_LEVEL: "debug",
    TAILBOARD_OPEN: "1",
  });
  assert.deepEqual(config, {
    ...DEFAULTS,
    port: 9000,
    host: "::1",
    token: "s3cret",
    defaultSources: false,
    runningWindowMs: 30_000,
    scheduler: "systemd",
    schedulerIntervalMs: 60_000,
    logLevel: "debug",
    open: true,
  });
});

Deno.test("loadConfig() reads every setting from the config file", () => {
  const file = {
    port: 9000,
    host: "127.0.0.2",
    token: "t",
    watch: ["/w"],
    defaultSources: false,
    runningWindow: 45,
    scheduler: "launchd",
    schedulerInterval: 10,
    jobFilter: ["com.me."],
    logLevel: "error",
    open: true,
  };
  const { config } = load([], {}, { [FILE]: JSON.stringify(file) });
  assert.deepEqual(config, {
    ...DEFAULTS,
    port: 9000,
    host: "127.0.0.2",
    token: "t",
    watch: ["/w"],
    defaultSources: false,
    runningWindowMs: 45_000,
    scheduler: "launchd",
    schedulerIntervalMs: 10_000,
    jobFilter: ["com.me."],
    logLevel: "error",
    open: true,
  });
});

Deno.test("loadConfig() finds the config file by --config, TAILBOARD_CONFIG or XDG_CONFIG_HOME", async (t) => {
  const files = {
    "/etc/tb.json": `{"port": 1}`,
    "/env/tb.json": `{"port": 2}`,
    "/xdg/tailboard/config.json": `{"port": 3}`,
    [FILE]: `{"port": 4}`,
  };
  await t.step("--config wins", () => {
    const { config, file } = load(["--config", "/etc/tb.json"], {
      TAILBOARD_CONFIG: "/env/tb.json",
    }, files);
    assert.equal(config.port, 1);
    assert.equal(file, "/etc/tb.json");
    assert.equal(config.configFile, "/etc/tb.json");
  });
  await t.step("then TAILBOARD_CONFIG", () => {
    assert.equal(load([], { TAILBOARD_CONFIG: "/env/tb.json" }, files).config.port, 2);
  });
  await t.step("then $XDG_CONFIG_HOME/tailboard/config.json", () => {
    assert.equal(load([], { XDG_CONFIG_HOME: "/xdg" }, files).config.port, 3);
    assert.equal(
      defaultConfigPath({ XDG_CONFIG_HOME: "/xdg" }, HOME),
      "/xdg/tailboard/config.json",
    );
  });
  await t.step("then ~/.config/tailboard/config.json", () => {
    assert.equal(load([], {}, files).config.port, 4);
  });
  await t.step("a named file that is missing is an error; the default one may be absent", () => {
    fails(() => load(["--config", "/nope.json"]), "config file /nope.json does not exist");
    fails(
      () => load([], { TAILBOARD_CONFIG: "~/nope.json" }),
      `config file ${HOME}/nope.json does not exist`,
    );
    assert.equal(load([]).file, null);
  });
});

Deno.test("loadConfig() refuses unknown keys and environment variables, naming the known ones", async (t) => {
  await t.step("an unknown config file key", () => {
    fails(
      () => load([], {}, { [FILE]: `{"prot": 8000}` }),
      `${FILE}: unknown key "prot"; known keys: port, host, token, watch, defaultSources, ` +
        "runningWindow, scheduler, schedulerInterval, jobFilter, logLevel, open, dataDir, history, " +
        "sessionState",
    );
  });
  await t.step("an unknown TAILBOARD_ variable", () => {
    fails(
      () => load([], { TAILBOARD_PROT: "8000" }),
      /^unknown environment variable TAILBOARD_PROT; tailboard reads TAILBOARD_PORT, .*TAILBOARD_CONFIG$/,
    );
  });
  await t.step("other programs' variables are not ours to judge", () => {
    assert.equal(
      load([], { PORT: "1", TAILBOARD_CHROMIUM: "/usr/bin/chromium" }).config.port,
      8787,
    );
  });
  await t.step(
    "an unknown flag",
    () => fails(() => load(["--prot", "1"]), /Unknown option '--prot'/),
  );
});

Deno.test("loadConfig() refuses bad values, naming where they came from", async (t) => {
  const cases: [string, Record<string, string>, Record<string, string>, string][] = [
    ["env port", { TAILBOARD_PORT: "http" }, {}, "TAILBOARD_PORT needs a whole number, got 'http'"],
    [
      "env port range",
      { TAILBOARD_PORT: "70000" },
      {},
      "TAILBOARD_PORT must be between 0 and 65535, got 70000",
    ],
    [
      "env boolean",
      { TAILBOARD_OPEN: "yes" },
      {},
      "TAILBOARD_OPEN must be true, false, 1 or 0, got 'yes'",
    ],
    [
      "env enum",
      { TAILBOARD_LOG_LEVEL: "trace" },
      {},
      "TAILBOARD_LOG_LEVEL must be one of debug, info, warn, error, got 'trace'",
    ],
    [
      "env running window",
      { TAILBOARD_RUNNING_WINDOW: "0" },
      {},
      "TAILBOARD_RUNNING_WINDOW must be between 1 and 86400, got 0",
    ],
    ["file not JSON", {}, { [FILE]: "{port: 1}" }, `${FILE} is not valid JSON: `],
    ["file not an object", {}, { [FILE]: "[1]" }, `${FILE} must hold one JSON object`],
    [
      "file port as text",
      {},
      { [FILE]: `{"port": "80"}` },
      `"port" needs a whole number, got "80"`,
    ],
    [
      "file port fraction",
      {},
      { [FILE]: `{"port": 80.5}` },
      `"port" needs a whole number, got 80.5`,
    ],
    [
      "file port range",
      {},
      { [FILE]: `{"port": 70000}` },
      `"port" must be between 0 and 65535, got 70000`,
    ],
    [
      "file boolean",
      {},
      { [FILE]: `{"open": "true"}` },
      `"open" must be true or false, got "true"`,
    ],
    ["file list", {}, { [FILE]: `{"watch": "/one"}` }, `"watch" must be a list of strings`],
    [
      "file enum",
      {},
      { [FILE]: `{"scheduler": "cron"}` },
      `"scheduler" must be one of auto, launchd, systemd, none, got 'cron'`,
    ],
  ];
  for (const [name, env, files, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => load([], env, files), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.ok(error.message.includes(message), `${error.message} includes ${message}`);
        return true;
      });
    });
  }
  await t.step("a bad flag wins over a bad file: flags are read first", () => {
    fails(
      () => load(["--port", "x"], {}, { [FILE]: "nope" }),
      "--port needs a whole number, got 'x'",
    );
  });
});

Deno.test("loadConfig() answers --help and --version even when the file is broken", () => {
  assert.equal(load(["--help"], { TAILBOARD_PROT: "1" }, { [FILE]: "nope" }).config.help, true);
  assert.equal(load(["-V"], {}, { [FILE]: "nope" }).config.version, true);
});

Deno.test("parseFlags() reads --config and --demo without touching other settings", () => {
  assert.deepEqual(parseFlags(["--config", "/x.json"]), { ...DEFAULTS, configFile: "/x.json" });
  assert.deepEqual(parseFlags(["--demo"]), { ...DEFAULTS, demo: true });
});

Deno.test("HELP lists every command, flag, variable and config key", () => {
  for (const command of ["demo", "install", "uninstall", "status"]) {
    assert.ok(HELP.includes(`tailboard ${command}`), `HELP mentions tailboard ${command}`);
  }
  for (const flag of ["--config FILE", "--demo", "--open"]) assert.ok(HELP.includes(flag), flag);
  for (const name of ENV_NAMES) assert.ok(HELP.includes(name), `HELP mentions ${name}`);
  for (
    const key of [
      "port",
      "host",
      "token",
      "watch",
      "defaultSources",
      "runningWindow",
      "scheduler",
      "schedulerInterval",
      "jobFilter",
      "logLevel",
      "open",
    ]
  ) {
    assert.ok(HELP.includes(`"${key}":`), `HELP mentions "${key}"`);
  }
  assert.match(HELP, /flags > environment > config file > defaults/);
});
