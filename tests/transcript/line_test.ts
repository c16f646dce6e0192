import assert from "node:assert/strict";
import { parseLine, utf8Length } from "../../transcript/line.ts";

const encoder = new TextEncoder();

Deno.test("parseLine() sends Claude Code lines to the Claude parser", () => {
  const line = JSON.stringify({
    type: "user",
    uuid: "u1",
    cwd: "/repo",
    sessionId: "s1",
    agentId: "a1",
    message: { role: "user", content: "hi" },
  });
  const parsed = parseLine(line);
  assert.equal(parsed.event.kind, "user");
  assert.equal(parsed.cwd, "/repo");
  assert.equal(parsed.sessionId, "s1");
  assert.equal(parsed.agentId, "a1");
});

Deno.test("parseLine() sends Codex rollout lines to the Codex parser", () => {
  const known = parseLine(
    '{"timestamp":"t","type":"event_msg","payload":{"type":"agent_message","message":"ok"}}',
  );
  assert.equal(known.event.kind, "codex");
  // An entry type newer than this parser still has the rollout shape: `type` plus a `payload` object.
  const newer = parseLine('{"type":"future_entry","payload":{"type":"x","message":"hello"}}');
  assert.equal(newer.event.kind, "codex");
  if (newer.event.kind === "codex") assert.equal(newer.event.text, "hello");
});

Deno.test("parseLine() strips a trailing carriage return", () => {
  const line = '{"type":"summary","summary":"S"}';
  const parsed = parseLine(`${line}\r`);
  assert.equal(parsed.event.kind, "title");
  assert.equal(parsed.event.bytes, line.length);
  const text = parseLine("plain output\r");
  assert.deepEqual(text.event, { kind: "text", bytes: 12, text: "plain output" });
});

Deno.test("parseLine() counts UTF-8 bytes, or trusts the caller's count", async (t) => {
  await t.step("counted", () => {
    for (
      const text of [
        "abc",
        "café",
        "中文",
        "🎉 emoji",
        "\u{10FFFF}",
        "lone \ud800 high",
        "lone \udc00 low",
        "",
      ]
    ) {
      assert.equal(utf8Length(text), encoder.encode(text).length, JSON.stringify(text));
    }
    const line = JSON.stringify({ type: "summary", summary: "résumé 🚀" });
    assert.equal(parseLine(line).event.bytes, encoder.encode(line).length);
  });
  await t.step("given", () => {
    assert.equal(parseLine("whatever", 1234).event.bytes, 1234);
  });
});

Deno.test("parseLine() keeps lines decoded with U+FFFD replacements", () => {
  // The tail decodes with a non-fatal TextDecoder, so invalid UTF-8 arrives as U+FFFD.
  const bytes = new Uint8Array([
    ...encoder.encode('{"type":"user","message":{"role":"user","content":"bad '),
    0xff,
    0xfe,
    ...encoder.encode(' bytes"}}'),
  ]);
  const text = new TextDecoder().decode(bytes);
  const parsed = parseLine(text);
  assert.equal(parsed.event.kind, "user");
  if (parsed.event.kind === "user") assert.equal(parsed.event.text, "bad \ufffd\ufffd bytes");

  const plain = parseLine(new TextDecoder().decode(new Uint8Array([0x61, 0xc3, 0x62])));
  assert.deepEqual(plain.event, { kind: "text", bytes: 5, text: "a\ufffdb" });
});

Deno.test("parseLine() turns plain text into text events", () => {
  for (
    const text of [
      "",
      "hello world",
      "Compiling tailboard v0.1.0",
      "true story",
      "404 not found",
      "-- note",
    ]
  ) {
    const { event } = parseLine(text);
    assert.equal(event.kind, "text");
    if (event.kind === "text") {
      assert.equal(event.text, text);
      assert.equal(event.malformed, undefined);
    }
  }
});

Deno.test("parseLine() marks broken JSON as malformed", () => {
  for (const text of ['{"type":"user",', "[1, 2", "{oops}", '{"a":1}}']) {
    const { event } = parseLine(text);
    assert.equal(event.kind, "text");
    if (event.kind === "text") {
      assert.equal(event.text, text);
      assert.equal(event.malformed, true);
    }
  }
});

Deno.test("parseLine() turns null, number, string and array JSON lines into malformed text events", () => {
  for (
    const text of [
      "null",
      "42",
      "-1.5",
      "true",
      '"massive error"',
      "[1]",
      "[]",
      '[{"type":"user"}]',
    ]
  ) {
    const { event } = parseLine(text);
    assert.deepEqual(event, { kind: "text", bytes: text.length, text, malformed: true }, text);
  }
});

Deno.test("parseLine() makes an untyped object a malformed text event, unless its message role says what it is", () => {
  const silly = parseLine('{"silly": "this"}');
  assert.deepEqual(silly.event, {
    kind: "text",
    bytes: 17,
    text: '{"silly": "this"}',
    malformed: true,
  });
  const untypedAssistant = parseLine(
    '{"uuid":"x","message":{"role":"assistant","content":[{"type":"text","text":"hi"}]}}',
  );
  assert.equal(untypedAssistant.event.kind, "assistant");
});

Deno.test("parseLine() makes unknown entry types other events, never errors", () => {
  const { event } = parseLine(
    '{"type":"brand-new-thing","uuid":"u9","timestamp":"T","widgets":3,"color":"red"}',
  );
  assert.equal(event.kind, "other");
  if (event.kind === "other") {
    assert.equal(event.type, "brand-new-thing");
    assert.equal(event.uuid, "u9");
    assert.equal(event.ts, "T");
    assert.match(event.text, /widgets/);
  }
  // Names that exist on Object.prototype must not be mistaken for known types.
  for (const type of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    const parsed = parseLine(JSON.stringify({ type }));
    assert.equal(parsed.event.kind, "other", type);
  }
});

Deno.test("parseLine() tolerates a BOM and indentation before the JSON", () => {
  assert.equal(parseLine('\ufeff{"type":"summary","summary":"S"}').event.kind, "title");
  assert.equal(parseLine('  {"type":"summary","summary":"S"}').event.kind, "title");
});

Deno.test("parseLine() keeps hostile HTML verbatim as data", () => {
  const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp;';
  const user = parseLine(
    JSON.stringify({ type: "user", message: { role: "user", content: hostile } }),
  );
  assert.equal(user.event.kind === "user" && user.event.text, hostile);
  const plain = parseLine(hostile);
  assert.equal(plain.event.kind === "text" && plain.event.text, hostile);
  const codex = parseLine(
    JSON.stringify({ type: "event_msg", payload: { type: "agent_message", message: hostile } }),
  );
  assert.equal(codex.event.kind === "codex" && codex.event.text, hostile);
});

Deno.test("parseLine() never throws on fuzzed input", () => {
  const seeds = [
    '{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"image"}]}]},"toolUseResult":{"stdout":"x"}}',
    '{"type":"assistant","message":{"id":"m","model":"<synthetic>","content":[{"type":"tool_use","id":"t","name":"Bash","input":{"command":"ls"}}],"usage":{"input_tokens":1}}}',
    '{"type":"system","subtype":"api_error","error":{"error":{"error":{"message":"boom"}}}}',
    '{"type":"attachment","attachment":{"type":"hook_blocking_error","blockingError":{"blockingError":"no"}}}',
    '{"type":"progress","data":{"type":"agent_progress","message":{"message":{"content":"x"}}}}',
    '{"timestamp":"t","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"total_tokens":5}}}}',
    '{"timestamp":"t","type":"response_item","payload":{"type":"function_call_output","call_id":"c","output":"{\\"output\\":\\"x\\",\\"metadata\\":{\\"exit_code\\":1}}"}}',
  ];
  // Values of every JSON type in places that expect one particular type.
  const oddValues = [
    "null",
    "1",
    "-0",
    "true",
    '""',
    '"s"',
    "[]",
    "[null]",
    "{}",
    '{"type":null}',
    "[[[]]]",
  ];
  let state = 0x2545f491;
  const random = (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const check = (text: string) => {
    const parsed = parseLine(text);
    assert.equal(typeof parsed.event.kind, "string");
    assert.doesNotThrow(() => JSON.stringify(parsed.event));
    // parseLine's last-resort catch yields a plain text event; a JSON object reaching it is a parser bug.
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      assert.ok(parsed.event.kind !== "text" || parsed.event.malformed === true, text);
    }
  };
  for (const seed of seeds) {
    for (let i = 0; i <= seed.length; i++) check(seed.slice(0, i));
    for (let i = 0; i < 300; i++) {
      const at = random(seed.length);
      const chars = [...seed];
      chars[at] = String.fromCharCode(random(0x10000));
      check(chars.join(""));
    }
    // Replace each JSON value position (after a colon) with an odd value.
    for (let i = 0; i < seed.length; i++) {
      if (seed[i] !== ":") continue;
      const rest = seed.slice(i + 1);
      const end = rest.search(/[,}\]]/);
      for (const odd of oddValues) {
        const mutated = `${seed.slice(0, i + 1)}${odd}${end < 0 ? "" : rest.slice(end)}`;
        check(mutated);
        check(`${seed.slice(0, i + 1)}${odd}${seed.slice(i + 1)}`);
      }
    }
  }
  // Deep nesting parses (V8's JSON.parse is not recursive) and must not overflow anything after it.
  check(
    `{"type":"assistant","message":{"content":[{"type":"tool_use","input":${"[".repeat(50_000)}${
      "]".repeat(50_000)
    }}]}}`,
  );
  check("[".repeat(100_000));
});
