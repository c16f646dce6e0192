import assert from "node:assert/strict";
import { inlineText, parseInline, parseMarkdown, safeHref } from "../../ui/lib/markdown.js";

/** Every string anywhere in a tree: hostile text must survive only as text. */
function strings(node: unknown): string[] {
  if (typeof node === "string") return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === "object") return Object.values(node).flatMap(strings);
  return [];
}

Deno.test("parseMarkdown() keeps raw HTML as text", () => {
  const blocks = parseMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">');
  assert.deepEqual(blocks, [
    { type: "paragraph", children: [{ type: "text", text: "<script>alert(1)</script>" }] },
    { type: "paragraph", children: [{ type: "text", text: '<img src=x onerror="alert(2)">' }] },
  ]);
});

Deno.test("parseMarkdown() drops javascript: and data: link targets", async (t) => {
  for (
    const url of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<b>x</b>",
      "vbscript:x",
      "java\nscript:x",
    ]
  ) {
    await t.step(url, () => {
      const tree = parseMarkdown(`[click](${url})`);
      const hrefs = JSON.stringify(tree).match(/"href":"[^"]*"/g) ?? [];
      assert.deepEqual(hrefs, []);
      assert.ok(strings(tree).join("").includes("click"));
    });
  }
  assert.equal(safeHref(" javascript:alert(1)"), null);
  assert.equal(safeHref("java\tscript:alert(1)"), null);
  assert.equal(safeHref("https://example.com/a?b=c"), "https://example.com/a?b=c");
  assert.equal(safeHref("mailto:a@b.c"), "mailto:a@b.c");
});

Deno.test("parseInline() reads code, strong, emphasis, strikethrough and links", () => {
  assert.deepEqual(parseInline("a `b*c*` **d** *e* ~~f~~ [g](https://x.y)"), [
    { type: "text", text: "a " },
    { type: "code", text: "b*c*" },
    { type: "text", text: " " },
    { type: "strong", children: [{ type: "text", text: "d" }] },
    { type: "text", text: " " },
    { type: "em", children: [{ type: "text", text: "e" }] },
    { type: "text", text: " " },
    { type: "del", children: [{ type: "text", text: "f" }] },
    { type: "text", text: " " },
    { type: "link", href: "https://x.y", children: [{ type: "text", text: "g" }] },
  ]);
});

Deno.test("parseInline() leaves snake_case, lone stars and escapes alone", () => {
  assert.equal(inlineText(parseInline("call my_func_name now")), "call my_func_name now");
  assert.deepEqual(parseInline("2 * 3 * 4"), [{ type: "text", text: "2 * 3 * 4" }]);
  assert.deepEqual(parseInline("\\*not em\\*"), [{ type: "text", text: "*not em*" }]);
  assert.deepEqual(parseInline("**unclosed"), [{ type: "text", text: "**unclosed" }]);
});

Deno.test("parseInline() links bare URLs without trailing punctuation", () => {
  const nodes = parseInline("see https://example.com/a_(b). Done");
  assert.deepEqual(nodes[1], {
    type: "link",
    href: "https://example.com/a_(b)",
    children: [{ type: "text", text: "https://example.com/a_(b)" }],
  });
  assert.equal(inlineText(nodes), "see https://example.com/a_(b). Done");
});

Deno.test("parseMarkdown() reads fenced code verbatim, even unclosed", () => {
  assert.deepEqual(parseMarkdown("```ts\nconst a = '<b>';\n\n**x**\n```\nafter"), [
    { type: "code", lang: "ts", text: "const a = '<b>';\n\n**x**" },
    { type: "paragraph", children: [{ type: "text", text: "after" }] },
  ]);
  assert.deepEqual(parseMarkdown("~~~\nopen"), [{ type: "code", lang: "", text: "open" }]);
});

Deno.test("parseMarkdown() reads headings, rules, quotes and line breaks", () => {
  assert.deepEqual(parseMarkdown("## Title ##\n---\n> quoted\n> more\n\nline one\nline two"), [
    { type: "heading", level: 2, children: [{ type: "text", text: "Title" }] },
    { type: "hr" },
    {
      type: "quote",
      children: [{
        type: "paragraph",
        children: [{ type: "text", text: "quoted" }, { type: "br" }, {
          type: "text",
          text: "more",
        }],
      }],
    },
    {
      type: "paragraph",
      children: [{ type: "text", text: "line one" }, { type: "br" }, {
        type: "text",
        text: "line two",
      }],
    },
  ]);
});

Deno.test("parseMarkdown() nests lists and reads task items", () => {
  const [list] = parseMarkdown("- one\n  - inner\n- [x] done\n- [ ] todo\n\n3. three\n4. four");
  assert.deepEqual(list, {
    type: "list",
    ordered: false,
    start: 1,
    items: [
      {
        checked: null,
        children: [
          { type: "paragraph", children: [{ type: "text", text: "one" }] },
          {
            type: "list",
            ordered: false,
            start: 1,
            items: [{
              checked: null,
              children: [{ type: "paragraph", children: [{ type: "text", text: "inner" }] }],
            }],
          },
        ],
      },
      {
        checked: true,
        children: [{ type: "paragraph", children: [{ type: "text", text: "done" }] }],
      },
      {
        checked: false,
        children: [{ type: "paragraph", children: [{ type: "text", text: "todo" }] }],
      },
    ],
  });
  const ordered = parseMarkdown("3. three\n4. four")[0];
  assert.equal(ordered?.type === "list" && ordered.start, 3);
});

Deno.test("parseMarkdown() reads GFM tables with alignment and escaped pipes", () => {
  const [table] = parseMarkdown("| a | b |\n|:--|--:|\n| `x|y` | 2 \\| 3 |");
  assert.equal(table?.type, "table");
  if (table?.type !== "table") return;
  assert.deepEqual(table.align, ["left", "right"]);
  assert.deepEqual(table.rows[0]?.map(inlineText), ["x|y", "2 | 3"]);
});

Deno.test("parseMarkdown() comes back from hostile input", () => {
  // How fast (linear-ish, ≤ 2 s) is bench/pure.ts's to judge.
  const blocks = parseMarkdown(
    "*a ".repeat(5000) + "[".repeat(5000) + "`".repeat(3000) + "_b".repeat(5000),
  );
  assert.ok(blocks.length > 0);
});
