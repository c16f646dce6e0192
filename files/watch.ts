import type { Root } from "./roots.ts";

export interface WatchHandlers {
  /** Paths the OS says changed: hints only, the caller re-stats them. */
  onPaths(paths: string[]): void;
  /** The OS dropped events (Deno's `rescan`): everything must be re-stated. */
  onRescan(): void;
  /** A watcher could not start or died; it is retried on the next `refresh()`. */
  onError(root: Root, message: string): void;
}

/**
 * `Deno.watchFs` on the roots' resolved folders, never on single files: on Linux a
 * watched file that is rotated is lost for good, its folder is not. A root
 * that is a file is watched through its parent folder. Roots that do not exist
 * yet get a watcher on a later `refresh()`, once they appear.
 */
export class RootWatcher {
  #roots: readonly Root[];
  #handlers: WatchHandlers;
  #watchers = new Map<string, { watcher: Deno.FsWatcher; ino: number | null }>();
  #closed = false;

  constructor(roots: readonly Root[], handlers: WatchHandlers) {
    this.#roots = roots;
    this.#handlers = handlers;
  }

  /** Starts watchers for roots that have none (first call, or the folder appeared). */
  async refresh(): Promise<void> {
    for (const root of this.#roots) {
      if (this.#closed) return;
      const target = await watchTarget(root.path);
      if (!target) continue;
      const current = this.#watchers.get(target.folder);
      // A folder deleted and made again has a new inode, and inotify's watch on
      // the old one stays silent forever: replace it.
      if (current && current.ino === target.ino) continue;
      if (current) this.#drop(target.folder);
      let watcher: Deno.FsWatcher;
      try {
        watcher = Deno.watchFs(target.folder, { recursive: target.recursive });
      } catch (error) {
        this.#handlers.onError(root, error instanceof Error ? error.message : String(error));
        continue;
      }
      this.#watchers.set(target.folder, { watcher, ino: target.ino });
      this.#pump(target.folder, watcher, root);
    }
  }

  async #pump(folder: string, watcher: Deno.FsWatcher, root: Root): Promise<void> {
    try {
      for await (const event of watcher) {
        if (event.flag === "rescan") this.#handlers.onRescan();
        else if (event.paths.length > 0) this.#handlers.onPaths(event.paths);
      }
    } catch (error) {
      // The watched folder was removed or the watcher failed; forget it so the
      // next refresh() starts a new one when the folder is back.
      if (!this.#closed) {
        this.#handlers.onError(root, error instanceof Error ? error.message : String(error));
      }
    } finally {
      if (this.#watchers.get(folder)?.watcher === watcher) this.#watchers.delete(folder);
    }
  }

  get watching(): string[] {
    return [...this.#watchers.keys()];
  }

  #drop(folder: string): void {
    const current = this.#watchers.get(folder);
    this.#watchers.delete(folder);
    try {
      current?.watcher.close();
    } catch {
      // Already closed because its folder went away.
    }
  }

  close(): void {
    this.#closed = true;
    for (const folder of [...this.#watchers.keys()]) this.#drop(folder);
  }
}

interface WatchTarget {
  folder: string;
  recursive: boolean;
  ino: number | null;
}

/**
 * The resolved folder to watch: FSEvents reports resolved paths whatever was
 * watched, so watching the resolved folder makes inotify name paths the same
 * way, and callers match one spelling on both systems (files/roots.ts locate).
 */
async function watchTarget(path: string): Promise<WatchTarget | null> {
  try {
    const real = await Deno.realPath(path);
    const info = await Deno.stat(real);
    if (info.isDirectory) return { folder: real, recursive: true, ino: info.ino };
    const folder = real.slice(0, real.lastIndexOf("/")) || "/";
    return { folder, recursive: false, ino: (await Deno.stat(folder)).ino };
  } catch {
    return null;
  }
}
