/** `--open`: hands the URL to the desktop's opener (`open` on macOS, `xdg-open` elsewhere). */
import type { Logger } from "../core/log.ts";

/**
 * Starts the opener and returns at once. Not through `RunCommand`: that one
 * kills a slow command's whole process group, which here could be the browser.
 */
export function openBrowser(url: string, log: Logger): void {
  const cmd = Deno.build.os === "darwin" ? "open" : "xdg-open";
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, { args: [url], stdin: "null", stdout: "null", stderr: "null" })
      .spawn();
  } catch (error) {
    log.warn("could not open the browser", {
      command: cmd,
      error: error instanceof Deno.errors.NotFound ? `${cmd} is not on PATH` : String(error),
    });
    return;
  }
  child.status.then((status) => {
    if (!status.success) {
      log.warn("could not open the browser", { command: cmd, code: status.code });
    }
  });
  // A blocking opener (some xdg-open setups wait for the browser) must not hold up exit.
  child.unref();
}
