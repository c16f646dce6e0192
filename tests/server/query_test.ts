import assert from "node:assert/strict";
import { intParam, shown } from "../../server/query.ts";

Deno.test("intParam() reads whole numbers within bounds, and absence as undefined", () => {
  assert.equal(intParam(undefined, "n"), undefined);
  assert.equal(intParam("", "n"), undefined);
  assert.equal(intParam("0", "n"), 0);
  assert.equal(intParam("5000", "tail", { max: 5000 }), 5000);
  assert.equal(intParam("1", "limit", { min: 1, max: 200 }), 1);
});

Deno.test("intParam() names the parameter and the bound it crossed", () => {
  assert.equal(intParam("-1", "tail"), "tail must be a non-negative integer, got '-1'");
  assert.equal(intParam("1.5", "cursor"), "cursor must be a non-negative integer, got '1.5'");
  assert.equal(intParam("5001", "tail", { max: 5000 }), "tail must be at most 5000");
  assert.equal(
    intParam("0", "limit", { min: 1, max: 200 }),
    "limit must be from 1 to 200, got 0",
  );
  assert.equal(
    intParam("ten", "limit", { min: 1, max: 200 }),
    "limit must be a whole number from 1 to 200, got 'ten'",
  );
});

Deno.test("shown() cuts a long value so a huge one does not come back whole", () => {
  assert.equal(shown("abc"), "abc");
  assert.equal(shown("x".repeat(100)), `${"x".repeat(40)}…`);
});
