/**
 * What the scheduler views say about a job, in words, and how the table
 * sorts and filters them. Pure: every function takes the time it needs.
 *
 * @typedef {import("../../core/job.ts").Job} Job
 * @typedef {"label" | "state" | "exit" | "schedule" | "next" | "log"} SortKey
 * @typedef {"asc" | "desc"} SortDir
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** running first, disabled last: the order a reader scans for. */
const STATE_RANK = { running: 0, idle: 1, "not-loaded": 2, disabled: 3 };

/**
 * The state column: `running`, `loaded · idle`, `not loaded`, `disabled`.
 * @param {Job["state"]} state
 */
export function stateWords(state) {
  switch (state) {
    case "running":
      return "running";
    case "idle":
      return "loaded · idle";
    case "not-loaded":
      return "not loaded";
    case "disabled":
      return "disabled";
    default:
      return String(state);
  }
}

/**
 * Whether the last run ended badly (non-zero exit or a signal); null when unknown.
 * @param {Job["lastExit"]} exit
 * @returns {boolean | null}
 */
export function exitFailed(exit) {
  if (!exit || (exit.code === null && exit.signal === null)) return null;
  return exit.signal !== null || exit.code !== 0;
}

/**
 * Time until a fire, ticking: `now`, `42s`, `4m 05s`, `3h 12m`, `2d 4h`.
 * @param {number} ms milliseconds from now (negative: overdue, shown as `now`)
 */
export function countdown(ms) {
  if (ms < SECOND) return "now";
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)}s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m ${pad(Math.floor((ms % MINUTE) / SECOND))}s`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)}h ${pad(Math.floor((ms % HOUR) / MINUTE))}m`;
  return `${Math.floor(ms / DAY)}d ${Math.floor((ms % DAY) / HOUR)}h`;
}

/**
 * A fire time as a person reads it, local: `today 09:30`, `tomorrow 03:00`,
 * `Fri 09:30` within the week, else `1 Feb 02:15` (with the year when it differs).
 * @param {number} ms
 * @param {number} now
 */
export function fireTime(ms, now) {
  const d = new Date(ms);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const days = Math.round((startOfDay(ms) - startOfDay(now)) / DAY);
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days > 1 && days < 7) return `${WEEKDAYS[d.getDay()]} ${time}`;
  const year = d.getFullYear() === new Date(now).getFullYear() ? "" : ` ${d.getFullYear()}`;
  return `${d.getDate()} ${MONTHS[d.getMonth()]}${year} ${time}`;
}

/**
 * A launchd label split so the view can dim its reverse-DNS owner:
 * `com.example.claude-review` → `com.example.` + `claude-review`. Labels that
 * do not start with a well-known domain stay whole.
 * @param {string} label
 * @returns {{owner: string, name: string}}
 */
export function labelParts(label) {
  const m = /^((?:com|org|net|io|dev|me|co|app|ai|sh)\.[^.]+\.)(.+)$/.exec(label);
  return m ? { owner: m[1] ?? "", name: m[2] ?? label } : { owner: "", name: label };
}

/**
 * A long path cut from the left at a folder boundary: `…/Logs/claude-review.log`.
 * @param {string} path
 * @param {number} [max] characters
 */
export function shortPath(path, max = 42) {
  if (path.length <= max) return path;
  const parts = path.split("/");
  let out = parts.pop() ?? "";
  while (parts.length && out.length + (parts[parts.length - 1]?.length ?? 0) + 3 <= max) {
    out = `${parts.pop()}/${out}`;
  }
  return `…/${out}`;
}

/**
 * Jobs whose label, program, arguments, schedule, state or log paths contain
 * every word of `query` (case-insensitive).
 * @param {readonly Job[]} jobs
 * @param {string} query
 * @returns {Job[]}
 */
export function filterJobs(jobs, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...jobs];
  return jobs.filter((job) => {
    const hay = [
      job.label,
      job.program ?? "",
      ...job.args,
      job.scheduleText,
      stateWords(job.state),
      job.lastExit?.text ?? "",
      job.stdoutPath ?? "",
      job.stderrPath ?? "",
    ].join("\n").toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/**
 * The table's order. Unknown values (no next fire, no exit yet, no log) sort
 * last in either direction; ties fall back to the label.
 * @param {readonly Job[]} jobs
 * @param {SortKey} key
 * @param {SortDir} dir
 * @returns {Job[]}
 */
export function sortJobs(jobs, key, dir) {
  const sign = dir === "desc" ? -1 : 1;
  return [...jobs].sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) {
      const c = typeof va === "number" && typeof vb === "number"
        ? va - vb
        : String(va).localeCompare(String(vb));
      if (c !== 0) return sign * c;
    }
    return a.label.localeCompare(b.label);
  });
}

/**
 * @param {Job} job
 * @param {SortKey} key
 * @returns {string | number | null}
 */
function sortValue(job, key) {
  switch (key) {
    case "label":
      return job.label;
    case "state":
      return STATE_RANK[job.state] ?? 9;
    case "exit": {
      // Failures first when ascending: signals, then the highest codes, then success.
      const e = job.lastExit;
      if (!e || (e.code === null && e.signal === null)) return null;
      return e.signal !== null ? -1000 - e.signal : -(e.code ?? 0);
    }
    case "schedule":
      return job.scheduleText || null;
    case "next":
      return job.nextFire ? Date.parse(job.nextFire) : null;
    case "log":
      return job.stdoutPath ?? job.stderrPath ?? null;
    default:
      return null;
  }
}

/**
 * A command line as a shell would take it back: arguments with spaces or
 * quotes are single-quoted.
 * @param {readonly string[]} args
 */
export function commandLine(args) {
  return args.map(shellQuote).join(" ");
}

/** @param {string} arg */
function shellQuote(arg) {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (!arg.includes("'")) return `'${arg}'`;
  // Double quotes read better around single ones, when nothing inside would expand.
  if (!/["$`\\!]/.test(arg)) return `"${arg}"`;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** @param {number} ms */
function startOfDay(ms) {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** @param {number} n */
function pad(n) {
  return String(n).padStart(2, "0");
}
