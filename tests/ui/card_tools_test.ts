import assert from "node:assert/strict";
import { findSubagent } from "../../ui/cards/tools.js";

Deno.test("findSubagent() takes the subagent whose meta names the call's id, before any guess", () => {
  const kids = [
    { id: "k1", path: "/p/s/subagents/agent-a1.jsonl", title: "Audit cart", parentId: "p" },
    {
      id: "k2",
      path: "/p/s/subagents/agent-a2.jsonl",
      title: "Audit checkout",
      parentId: "p",
      toolUseId: "toolu_2",
    },
  ];
  // The prompt would match k1 by title; the exact id wins.
  const call = { id: "toolu_2", input: { prompt: "Audit cart" }, callCount: 2 };
  assert.equal(findSubagent(call, "p", kids)?.id, "k2");
  assert.equal(findSubagent({ ...call, id: "toolu_other" }, "p", kids)?.id, "k1");
});
