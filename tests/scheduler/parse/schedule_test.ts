import assert from "node:assert/strict";
import { describeSchedule, nextFire } from "../../../scheduler/parse/schedule.ts";
import type { CalendarInterval, Schedule } from "../../../core/job.ts";

const UTC = "UTC";
const NEW_YORK = "America/New_York";
const BERLIN = "Europe/Berlin";

/** nextFire of a calendar schedule, as an ISO string (or null). */
function next(
  intervals: CalendarInterval[],
  from: string,
  timeZone = UTC,
): string | null {
  return nextFire({ calendar: intervals }, new Date(from), { timeZone })?.toISOString() ?? null;
}

Deno.test("nextFire() fires strictly after `from`, at minute precision", async (t) => {
  await t.step("later the same day", () => {
    assert.deepEqual(
      next([{ Hour: 3, Minute: 0 }], "2025-01-15T02:59:00Z"),
      "2025-01-15T03:00:00.000Z",
    );
  });
  await t.step("exactly at the fire time moves to the next day", () => {
    assert.deepEqual(
      next([{ Hour: 3, Minute: 0 }], "2025-01-15T03:00:00Z"),
      "2025-01-16T03:00:00.000Z",
    );
  });
  await t.step("seconds into the fire minute count as past it", () => {
    assert.deepEqual(
      next([{ Hour: 3, Minute: 0 }], "2025-01-15T03:00:30Z"),
      "2025-01-16T03:00:00.000Z",
    );
  });
  await t.step("a fire time already passed today moves to tomorrow", () => {
    assert.deepEqual(
      next([{ Hour: 3, Minute: 0 }], "2025-01-15T12:00:00Z"),
      "2025-01-16T03:00:00.000Z",
    );
  });
});

Deno.test("nextFire() treats missing keys as wildcards", async (t) => {
  await t.step("Minute only: every hour", () => {
    assert.deepEqual(next([{ Minute: 15 }], "2025-01-15T10:20:00Z"), "2025-01-15T11:15:00.000Z");
    assert.deepEqual(next([{ Minute: 15 }], "2025-01-15T23:20:00Z"), "2025-01-16T00:15:00.000Z");
  });
  await t.step("no keys: every minute", () => {
    assert.deepEqual(next([{}], "2025-01-15T10:00:30Z"), "2025-01-15T10:01:00.000Z");
  });
  await t.step("Hour only: every minute of that hour, as launchd does", () => {
    assert.deepEqual(next([{ Hour: 9 }], "2025-01-15T08:30:00Z"), "2025-01-15T09:00:00.000Z");
    assert.deepEqual(next([{ Hour: 9 }], "2025-01-15T09:10:00Z"), "2025-01-15T09:11:00.000Z");
    assert.deepEqual(next([{ Hour: 9 }], "2025-01-15T09:59:00Z"), "2025-01-16T09:00:00.000Z");
  });
  await t.step("Day only: midnight and every minute of that day", () => {
    assert.deepEqual(next([{ Day: 20 }], "2025-01-15T10:00:00Z"), "2025-01-20T00:00:00.000Z");
  });
});

Deno.test("nextFire() reads Weekday 0 and 7 both as Sunday", () => {
  // 2025-01-15 is a Wednesday; the next Sunday is the 19th.
  const sunday = "2025-01-19T10:00:00.000Z";
  assert.deepEqual(next([{ Weekday: 0, Hour: 10, Minute: 0 }], "2025-01-15T00:00:00Z"), sunday);
  assert.deepEqual(next([{ Weekday: 7, Hour: 10, Minute: 0 }], "2025-01-15T00:00:00Z"), sunday);
});

Deno.test("nextFire() with an array of intervals takes the earliest", async (t) => {
  await t.step("two times a day", () => {
    const twice = [{ Hour: 17, Minute: 0 }, { Hour: 9, Minute: 0 }];
    assert.deepEqual(next(twice, "2025-01-15T12:00:00Z"), "2025-01-15T17:00:00.000Z");
    assert.deepEqual(next(twice, "2025-01-15T18:00:00Z"), "2025-01-16T09:00:00.000Z");
  });
  await t.step("weekdays skip the weekend", () => {
    const weekdays = [1, 2, 3, 4, 5].map((Weekday) => ({ Weekday, Hour: 9, Minute: 30 }));
    // Friday 2025-01-17 after 09:30 → Monday the 20th.
    assert.deepEqual(next(weekdays, "2025-01-17T10:00:00Z"), "2025-01-20T09:30:00.000Z");
    assert.deepEqual(next(weekdays, "2025-01-20T09:29:00Z"), "2025-01-20T09:30:00.000Z");
  });
});

Deno.test("nextFire() fires when either Day or Weekday matches, as launchd does", () => {
  const either = [{ Day: 13, Weekday: 5, Hour: 0, Minute: 0 }];
  // Friday the 3rd comes before the 13th.
  assert.deepEqual(next(either, "2025-01-01T00:00:00Z"), "2025-01-03T00:00:00.000Z");
  // After Friday the 10th, Monday the 13th comes before Friday the 17th.
  assert.deepEqual(next(either, "2025-01-10T00:01:00Z"), "2025-01-13T00:00:00.000Z");
});

Deno.test("nextFire() crosses month ends", async (t) => {
  await t.step("Day 31 skips the 30-day months", () => {
    assert.deepEqual(
      next([{ Day: 31, Hour: 0, Minute: 0 }], "2025-04-01T00:00:00Z"),
      "2025-05-31T00:00:00.000Z",
    );
    assert.deepEqual(
      next([{ Day: 31, Hour: 0, Minute: 0 }], "2025-01-31T12:00:00Z"),
      "2025-03-31T00:00:00.000Z",
    );
  });
  await t.step("a daily job at the end of December rolls into the new year", () => {
    assert.deepEqual(
      next([{ Hour: 23, Minute: 59 }], "2025-12-31T23:59:00Z"),
      "2026-01-01T23:59:00.000Z",
    );
  });
  await t.step("Month restricts the year", () => {
    assert.deepEqual(
      next([{ Month: 1, Day: 1, Hour: 0, Minute: 0 }], "2025-06-01T00:00:00Z"),
      "2026-01-01T00:00:00.000Z",
    );
  });
  await t.step("Month restricts the weekday branch too", () => {
    // Mondays in March only: from June 2025 the next is 2026-03-02.
    assert.deepEqual(
      next([{ Month: 3, Weekday: 1, Hour: 8, Minute: 0 }], "2025-06-01T00:00:00Z"),
      "2026-03-02T08:00:00.000Z",
    );
  });
});

Deno.test("nextFire() finds Feb 29 only in leap years", async (t) => {
  const leapDay = [{ Month: 2, Day: 29, Hour: 12, Minute: 0 }];
  await t.step("from a common year to the next leap year", () => {
    assert.deepEqual(next(leapDay, "2025-03-01T00:00:00Z"), "2028-02-29T12:00:00.000Z");
  });
  await t.step("inside a leap year", () => {
    assert.deepEqual(next(leapDay, "2024-02-01T00:00:00Z"), "2024-02-29T12:00:00.000Z");
  });
  await t.step("across 2100, which is not a leap year", () => {
    assert.deepEqual(next(leapDay, "2096-03-01T00:00:00Z"), "2104-02-29T12:00:00.000Z");
  });
  await t.step("Day 29 without Month fires on Feb 29 in leap years, Mar 29 otherwise", () => {
    assert.deepEqual(
      next([{ Day: 29, Hour: 0, Minute: 0 }], "2024-02-01T00:00:00Z"),
      "2024-02-29T00:00:00.000Z",
    );
    assert.deepEqual(
      next([{ Day: 29, Hour: 0, Minute: 0 }], "2025-02-01T00:00:00Z"),
      "2025-03-29T00:00:00.000Z",
    );
  });
});

Deno.test("nextFire() returns null for intervals that never match", async (t) => {
  await t.step("Feb 30", () => {
    assert.deepEqual(next([{ Month: 2, Day: 30 }], "2025-01-01T00:00:00Z"), null);
  });
  await t.step("out-of-range keys", () => {
    for (const bad of [{ Minute: 60 }, { Hour: 24 }, { Day: 0 }, { Weekday: 8 }, { Month: 13 }]) {
      assert.deepEqual(next([bad], "2025-01-01T00:00:00Z"), null);
    }
  });
  await t.step("an invalid interval does not hide a valid one beside it", () => {
    assert.deepEqual(
      next([{ Minute: 99 }, { Hour: 6, Minute: 0 }], "2025-01-01T00:00:00Z"),
      "2025-01-01T06:00:00.000Z",
    );
  });
});

Deno.test("nextFire() follows the wall clock across DST in America/New_York", async (t) => {
  // 2025-03-09: 02:00 EST jumps to 03:00 EDT. 2025-11-02: 02:00 EDT falls back to 01:00 EST.
  await t.step("a skipped time fires just after the jump (02:30 EST = 03:30 EDT)", () => {
    assert.deepEqual(
      next([{ Hour: 2, Minute: 30 }], "2025-03-09T05:00:00Z", NEW_YORK),
      "2025-03-09T07:30:00.000Z",
    );
  });
  await t.step("and the day after fires at 02:30 EDT", () => {
    assert.deepEqual(
      next([{ Hour: 2, Minute: 30 }], "2025-03-09T07:30:00Z", NEW_YORK),
      "2025-03-10T06:30:00.000Z",
    );
  });
  await t.step("a daily 09:00 stays at 09:00 local on both sides of the change", () => {
    assert.deepEqual(
      next([{ Hour: 9, Minute: 0 }], "2025-03-08T15:00:00Z", NEW_YORK),
      "2025-03-09T13:00:00.000Z",
    );
    assert.deepEqual(
      next([{ Hour: 9, Minute: 0 }], "2025-11-01T14:00:00Z", NEW_YORK),
      "2025-11-02T14:00:00.000Z",
    );
  });
  await t.step("a repeated time fires once, at its first occurrence (EDT)", () => {
    assert.deepEqual(
      next([{ Hour: 1, Minute: 30 }], "2025-11-02T04:00:00Z", NEW_YORK),
      "2025-11-02T05:30:00.000Z",
    );
    assert.deepEqual(
      next([{ Hour: 1, Minute: 30 }], "2025-11-02T05:31:00Z", NEW_YORK),
      "2025-11-03T06:30:00.000Z",
    );
  });
  await t.step("an hourly job does not fire twice in the repeated hour", () => {
    assert.deepEqual(
      next([{ Minute: 0 }], "2025-11-02T05:00:00Z", NEW_YORK),
      "2025-11-02T07:00:00.000Z",
    );
  });
  await t.step("an hourly job skips the hour that does not exist", () => {
    // 01:00 EST, then 03:00 EDT: 02:00 maps onto 03:00, which is also the next hour.
    assert.deepEqual(
      next([{ Minute: 0 }], "2025-03-09T06:00:00Z", NEW_YORK),
      "2025-03-09T07:00:00.000Z",
    );
  });
});

Deno.test("nextFire() follows the wall clock across DST in Europe/Berlin", async (t) => {
  // 2025-03-30: 02:00 CET jumps to 03:00 CEST. 2025-10-26: 03:00 CEST falls back to 02:00 CET.
  await t.step("a skipped time fires just after the jump (02:15 CET = 03:15 CEST)", () => {
    assert.deepEqual(
      next([{ Hour: 2, Minute: 15 }], "2025-03-29T23:00:00Z", BERLIN),
      "2025-03-30T01:15:00.000Z",
    );
  });
  await t.step("a daily 09:00 moves an hour in UTC", () => {
    assert.deepEqual(
      next([{ Hour: 9, Minute: 0 }], "2025-03-29T09:00:00Z", BERLIN),
      "2025-03-30T07:00:00.000Z",
    );
  });
  await t.step("a repeated time fires at its first occurrence (CEST)", () => {
    assert.deepEqual(
      next([{ Hour: 2, Minute: 30 }], "2025-10-25T23:00:00Z", BERLIN),
      "2025-10-26T00:30:00.000Z",
    );
  });
  await t.step("a weekly Sunday job on the change day", () => {
    assert.deepEqual(
      next([{ Weekday: 0, Hour: 12, Minute: 0 }], "2025-10-20T00:00:00Z", BERLIN),
      "2025-10-26T11:00:00.000Z",
    );
  });
});

Deno.test("nextFire() handles a half-hour DST shift (Australia/Lord_Howe)", () => {
  // 2025-10-05: 02:00 +10:30 jumps to 02:30 +11:00; 02:15 does not exist.
  assert.deepEqual(
    next([{ Hour: 2, Minute: 15 }], "2025-10-04T12:00:00Z", "Australia/Lord_Howe"),
    "2025-10-04T15:45:00.000Z",
  );
});

Deno.test("nextFire() counts StartInterval from the last run, else the load time", async (t) => {
  const every15: Schedule = { intervalSeconds: 900 };
  const from = new Date("2025-01-15T10:20:00Z");
  await t.step("from the last run", () => {
    const lastRun = new Date("2025-01-15T10:00:00Z");
    assert.deepEqual(
      nextFire(every15, from, { lastRun })?.toISOString(),
      "2025-01-15T10:30:00.000Z",
    );
  });
  await t.step("from the load time when no run is known", () => {
    const loadedAt = new Date("2025-01-15T09:05:00Z");
    assert.deepEqual(
      nextFire(every15, from, { loadedAt })?.toISOString(),
      "2025-01-15T10:35:00.000Z",
    );
  });
  await t.step("exactly on a period boundary moves to the next one", () => {
    const lastRun = new Date("2025-01-15T10:05:00Z");
    assert.deepEqual(
      nextFire(every15, from, { lastRun })?.toISOString(),
      "2025-01-15T10:35:00.000Z",
    );
  });
  await t.step("a run that just started fires one interval later", () => {
    assert.deepEqual(
      nextFire(every15, from, { lastRun: from })?.toISOString(),
      "2025-01-15T10:35:00.000Z",
    );
  });
  await t.step("unknown without either", () => {
    assert.deepEqual(nextFire(every15, from), null);
  });
});

Deno.test("nextFire() returns null for jobs that never fire on their own", () => {
  const from = new Date("2025-01-15T10:00:00Z");
  assert.deepEqual(nextFire({}, from), null);
  assert.deepEqual(nextFire({ runAtLoad: true }, from), null);
  assert.deepEqual(nextFire({ keepAlive: true }, from), null);
  assert.deepEqual(
    nextFire({ systemd: { calendar: ["*-*-* 03:00:00"], monotonic: [] } }, from),
    null,
  );
});

Deno.test("nextFire() takes the earlier of a calendar and an interval", () => {
  const both: Schedule = { calendar: [{ Hour: 11, Minute: 0 }], intervalSeconds: 3600 };
  const from = new Date("2025-01-15T10:20:00Z");
  const lastRun = new Date("2025-01-15T10:00:00Z");
  assert.deepEqual(
    nextFire(both, from, { lastRun, timeZone: UTC })?.toISOString(),
    "2025-01-15T11:00:00.000Z",
  );
  assert.deepEqual(
    nextFire(both, new Date("2025-01-15T11:20:00Z"), { lastRun, timeZone: UTC })?.toISOString(),
    "2025-01-15T12:00:00.000Z",
  );
});

Deno.test("nextFire() uses the process's zone by default (TZ)", async () => {
  // A subprocess, because TZ is read when the runtime starts.
  const script = `
    import { nextFire } from ${
    JSON.stringify(new URL("../../../scheduler/parse/schedule.ts", import.meta.url).href)
  };
    const at = nextFire({ calendar: [{ Hour: 9, Minute: 0 }] }, new Date("2025-07-01T00:00:00Z"));
    console.log(at.toISOString());
  `;
  for (
    const [tz, expected] of [[BERLIN, "2025-07-01T07:00:00.000Z"], [
      NEW_YORK,
      "2025-07-01T13:00:00.000Z",
    ]]
  ) {
    const { stdout, code } = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--no-config", script],
      env: { TZ: tz! },
      stdout: "piped",
      stderr: "inherit",
    }).output();
    assert.deepEqual(code, 0);
    assert.deepEqual(new TextDecoder().decode(stdout).trim(), expected);
  }
});

Deno.test("describeSchedule() says the schedule in words", async (t) => {
  const cases: [string, Schedule, string][] = [
    [
      "weekdays",
      { calendar: [1, 2, 3, 4, 5].map((Weekday) => ({ Weekday, Hour: 9, Minute: 30 })) },
      "every weekday at 09:30",
    ],
    ["daily", { calendar: [{ Hour: 3, Minute: 0 }] }, "daily at 03:00"],
    [
      "twice daily",
      { calendar: [{ Hour: 17, Minute: 0 }, { Hour: 9, Minute: 0 }] },
      "daily at 09:00 and 17:00",
    ],
    [
      "one weekday, 7 as Sunday",
      { calendar: [{ Weekday: 7, Hour: 18, Minute: 0 }] },
      "every Sunday at 18:00",
    ],
    [
      "some weekdays",
      { calendar: [5, 1, 3].map((Weekday) => ({ Weekday, Hour: 8, Minute: 5 })) },
      "every Monday, Wednesday and Friday at 08:05",
    ],
    [
      "weekends",
      { calendar: [6, 0].map((Weekday) => ({ Weekday, Hour: 10, Minute: 0 })) },
      "every weekend day at 10:00",
    ],
    ["monthly", { calendar: [{ Day: 1, Hour: 2, Minute: 15 }] }, "monthly on day 1 at 02:15"],
    [
      "yearly",
      { calendar: [{ Month: 1, Day: 1, Hour: 0, Minute: 0 }] },
      "every January 1 at 00:00",
    ],
    [
      "day or weekday",
      { calendar: [{ Day: 13, Weekday: 5, Hour: 0, Minute: 0 }] },
      "on day 13 or every Friday at 00:00",
    ],
    ["hourly", { calendar: [{ Minute: 15 }] }, "every hour at :15"],
    ["hourly on weekdays", {
      calendar: [1, 2, 3, 4, 5].map((Weekday) => ({ Weekday, Minute: 0 })),
    }, "every hour at :00 on weekdays"],
    ["hour wildcard minute", { calendar: [{ Hour: 9 }] }, "every minute from 09:00 to 09:59"],
    ["every minute", { calendar: [{}] }, "every minute"],
    ["never", { calendar: [{ Minute: 60 }] }, "never (no valid calendar interval)"],
    ["every 15 minutes", { intervalSeconds: 900 }, "every 15 minutes"],
    ["every hour", { intervalSeconds: 3600 }, "every hour"],
    ["every 2 days", { intervalSeconds: 172_800 }, "every 2 days"],
    ["every 90 seconds", { intervalSeconds: 90 }, "every 90 seconds"],
    ["at load", { runAtLoad: true }, "at load"],
    [
      "interval and at load",
      { intervalSeconds: 900, runAtLoad: true },
      "every 15 minutes and at load",
    ],
    ["kept alive", { keepAlive: true }, "kept alive"],
    ["conditional keep-alive", { keepAlive: "conditional" }, "kept alive on conditions"],
    ["on demand", {}, "on demand"],
    [
      "systemd weekdays",
      { systemd: { calendar: ["Mon..Fri *-*-* 08:45:00"], monotonic: [] } },
      "every weekday at 08:45",
    ],
    [
      "systemd daily",
      { systemd: { calendar: ["*-*-* 02:00:00"], monotonic: [] } },
      "daily at 02:00",
    ],
    [
      "systemd every 15 minutes",
      { systemd: { calendar: ["*-*-* *:00/15:00"], monotonic: [] } },
      "every 15 minutes",
    ],
    [
      "systemd unusual",
      { systemd: { calendar: ["*-*-01 04:00:00"], monotonic: [] } },
      "OnCalendar *-*-01 04:00:00",
    ],
    [
      "systemd monotonic",
      { systemd: { calendar: [], monotonic: ["OnBootUSec=5min", "OnUnitActiveUSec=30min"] } },
      "5min after boot and every 30min",
    ],
  ];
  for (const [name, schedule, words] of cases) {
    await t.step(name, () => assert.deepEqual(describeSchedule(schedule), words));
  }
});
