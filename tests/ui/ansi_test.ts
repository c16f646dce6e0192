/** ANSI SGR sequences in plain logs become styled span data; everything else is dropped. */
import assert from "node:assert/strict";
import { applySgr, color256, parseAnsi, PLAIN, stripAnsi } from "../../ui/lib/ansi.js";

const ESC = "\x1b";
const spans = (line: string) => parseAnsi(line).spans;

Deno.test("parseAnsi() leaves a line without escapes as one unstyled span", () => {
  assert.deepEqual(spans("plain text\twith a tab"), [{ text: "plain text\twith a tab" }]);
  assert.deepEqual(spans(""), []);
});

Deno.test("parseAnsi() turns the 16 named colours into classes and resets them", async (t) => {
  await t.step("foreground, then reset", () => {
    assert.deepEqual(spans(`${ESC}[31mred${ESC}[0m plain`), [
      { text: "red", class: "ansi-fg-1" },
      { text: " plain" },
    ]);
  });
  await t.step("bright colours and backgrounds", () => {
    assert.deepEqual(spans(`${ESC}[92;104mx${ESC}[39my${ESC}[49mz`), [
      { text: "x", class: "ansi-fg-10 ansi-bg-12" },
      { text: "y", class: "ansi-bg-12" },
      { text: "z" },
    ]);
  });
  await t.step("an empty SGR (ESC[m) resets", () => {
    assert.deepEqual(spans(`${ESC}[1;33mwarn${ESC}[m ok`), [
      { text: "warn", class: "ansi-fg-3 ansi-bold" },
      { text: " ok" },
    ]);
  });
});

Deno.test("parseAnsi() reads 256-colour and truecolor, in ; and : forms", async (t) => {
  await t.step("256: the first 16 are the named colours", () => {
    assert.deepEqual(spans(`${ESC}[38;5;9mx`), [{ text: "x", class: "ansi-fg-9" }]);
  });
  await t.step("256: cube and grey ramp", () => {
    assert.deepEqual(spans(`${ESC}[38;5;208mo${ESC}[48;5;236mg`), [
      { text: "o", style: "color:#ff8700" },
      { text: "g", style: "color:#ff8700;background-color:#303030" },
    ]);
  });
  await t.step("truecolor with semicolons", () => {
    assert.deepEqual(spans(`${ESC}[38;2;255;100;0;1mx`), [
      { text: "x", class: "ansi-bold", style: "color:#ff6400" },
    ]);
  });
  await t.step("colon sub-parameters, with and without a colour-space id", () => {
    assert.deepEqual(spans(`${ESC}[38:2::1:2:3ma${ESC}[38:2:4:5:6mb${ESC}[48:5:21mc`), [
      { text: "a", style: "color:#010203" },
      { text: "b", style: "color:#040506" },
      { text: "c", style: "color:#040506;background-color:#0000ff" },
    ]);
  });
  await t.step("a malformed colour does not leak its numbers as codes", () => {
    // 38;2;300;1;1 is out of range: 300, 1 (bold!) and 1 must not be read as SGR codes.
    assert.deepEqual(spans(`${ESC}[38;2;300;1;1mx`), [{ text: "x" }]);
  });
  await t.step("the underline colour (58) is parsed and ignored", () => {
    assert.deepEqual(spans(`${ESC}[4;58;5;196mu`), [{ text: "u", class: "ansi-underline" }]);
  });
});

Deno.test("color256() follows xterm's cube and ramp", () => {
  assert.deepEqual(color256(3), { index: 3 });
  assert.deepEqual(color256(16), { rgb: "#000000" });
  assert.deepEqual(color256(231), { rgb: "#ffffff" });
  assert.deepEqual(color256(232), { rgb: "#080808" });
  assert.deepEqual(color256(255), { rgb: "#eeeeee" });
});

Deno.test("parseAnsi() applies and clears bold, dim, italic, underline, strike, hidden", () => {
  assert.deepEqual(spans(`${ESC}[1;2;3;4;9mall${ESC}[22;23mus${ESC}[24;29mplain`), [
    { text: "all", class: "ansi-bold ansi-dim ansi-italic ansi-underline ansi-strike" },
    { text: "us", class: "ansi-underline ansi-strike" },
    { text: "plain" },
  ]);
  assert.deepEqual(spans(`${ESC}[4:3mcurly${ESC}[4:0mnone`), [
    { text: "curly", class: "ansi-underline" },
    { text: "none" },
  ]);
  assert.deepEqual(spans(`${ESC}[8msecret${ESC}[28m`), [{ text: "secret", class: "ansi-hidden" }]);
});

Deno.test("parseAnsi() swaps colours for inverse, using the page's colours for defaults", () => {
  assert.deepEqual(spans(`${ESC}[31;7mx${ESC}[27my`), [
    {
      text: "x",
      class: "ansi-bg-1",
      style: "color:var(--ansi-inverse-fg, var(--bg))",
    },
    { text: "y", class: "ansi-fg-1" },
  ]);
  assert.deepEqual(spans(`${ESC}[7mx`), [{
    text: "x",
    style:
      "color:var(--ansi-inverse-fg, var(--bg));background-color:var(--ansi-inverse-bg, var(--text))",
  }]);
});

Deno.test("parseAnsi() strips every other escape sequence and control character", async (t) => {
  await t.step("cursor moves and erases", () => {
    assert.deepEqual(spans(`${ESC}[2K${ESC}[1G${ESC}[?25lhello${ESC}[?25h`), [{ text: "hello" }]);
  });
  await t.step("OSC titles and hyperlinks keep only the link text", () => {
    assert.deepEqual(
      spans(`${ESC}]0;title\x07${ESC}]8;;https://x.test${ESC}\\link${ESC}]8;;${ESC}\\ end`),
      [{ text: "link end" }],
    );
  });
  await t.step("charset and keypad escapes, DCS strings", () => {
    assert.deepEqual(spans(`${ESC}(Ba${ESC}=b${ESC}Pq#0;2${ESC}\\c`), [{ text: "abc" }]);
  });
  await t.step("bell, backspace, NUL and C1 controls", () => {
    assert.deepEqual(spans("a\x07b\x08c\x00d\x85e"), [{ text: "abcde" }]);
  });
  await t.step("a sequence cut off by the end of the line", () => {
    assert.deepEqual(spans(`cut${ESC}[38;5`), [{ text: "cut" }]);
    assert.deepEqual(spans(`cut${ESC}`), [{ text: "cut" }]);
    assert.deepEqual(spans(`cut${ESC}]8;;http://x`), [{ text: "cut" }]);
  });
  await t.step("private-mode parameters are not colours", () => {
    assert.deepEqual(spans(`${ESC}[>4;2mx`), [{ text: "x" }]);
  });
});

Deno.test("parseAnsi() keeps what follows the last carriage return, styles and all", () => {
  assert.deepEqual(spans(`${ESC}[32m 10%\r 50%\r${ESC}[1m100%`), [
    { text: "100%", class: "ansi-fg-2 ansi-bold" },
  ]);
  assert.deepEqual(
    spans("done\r"),
    [{ text: "done" }],
    "a CR with nothing after overwrites nothing",
  );
});

Deno.test("parseAnsi() carries attributes from one line to the next", () => {
  const first = parseAnsi(`${ESC}[35mstarts here`);
  assert.deepEqual(first.spans, [{ text: "starts here", class: "ansi-fg-5" }]);
  const second = parseAnsi(`still magenta${ESC}[0m then plain`, first.state);
  assert.deepEqual(second.spans, [
    { text: "still magenta", class: "ansi-fg-5" },
    { text: " then plain" },
  ]);
  assert.deepEqual(second.state, PLAIN);
});

Deno.test("applySgr() never changes the state it is given", () => {
  const state = applySgr(PLAIN, "1;31");
  assert.equal(PLAIN.bold, false);
  assert.deepEqual(applySgr(state, "0"), PLAIN);
  assert.notEqual(applySgr(state, "0"), state);
});

Deno.test("stripAnsi() keeps only the visible text", () => {
  assert.equal(
    stripAnsi(`${ESC}[1;31merror:${ESC}[0m file ${ESC}[4mx.ts${ESC}[24m`),
    "error: file x.ts",
  );
});

Deno.test("parseAnsi() merges neighbouring text of the same look", () => {
  assert.deepEqual(spans(`a${ESC}[0mb${ESC}[31m${ESC}[31mc${ESC}[Kd`), [
    { text: "ab" },
    { text: "cd", class: "ansi-fg-1" },
  ]);
});
