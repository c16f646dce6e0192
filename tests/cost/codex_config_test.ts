import assert from "node:assert/strict";
import { codexServiceTier } from "../../cost/codex_config.ts";

Deno.test("codexServiceTier() reads service_tier from Codex's config.toml", async (t) => {
  await t.step("top level", () => {
    assert.equal(codexServiceTier('model = "gpt-5.5"\nservice_tier = "fast"\n'), "fast");
    assert.equal(codexServiceTier("service_tier = 'Flex' # cheaper\n"), "flex");
  });
  await t.step("the profile the config picks wins", () => {
    const toml = [
      'profile = "work"',
      'service_tier = "flex"',
      "",
      "[profiles.work]",
      'service_tier = "fast"',
      "[profiles.home]",
      'service_tier = "flex"',
    ].join("\n");
    assert.equal(codexServiceTier(toml), "fast");
  });
  await t.step("a key inside another table is not the top level's", () => {
    assert.equal(codexServiceTier('[mcp_servers.x]\nservice_tier = "fast"\n'), undefined);
  });
  await t.step("none, empty or unreadable: the standard tier", () => {
    assert.equal(codexServiceTier(""), undefined);
    assert.equal(codexServiceTier('model = "gpt-5.5"'), undefined);
    assert.equal(codexServiceTier('service_tier = ""'), undefined);
    assert.equal(codexServiceTier("service_tier = fast"), undefined);
    assert.equal(codexServiceTier("\u0000[[[\n= = ="), undefined);
  });
});
