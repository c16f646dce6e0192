import { type Classified, classify, isWatchedName } from "./classify.ts";
import type { Root } from "./roots.ts";

/** One file found under a root: stat facts only, no contents. */
export interface FileEntry extends Classified {
  /** The path as found (a task `.output` may be a symlink). */
  path: string;
  /** Where the bytes live: the symlink's target, or `path` itself. */
  realPath: string;
  size: number;
  /** Modification time of the bytes (a symlink's own mtime is frozen), epoch ms. */
  mtime: number;
  ino: number | null;
}

export interface ScanResult {
  files: FileEntry[];
  /** Roots that do not exist (yet). */
  missing: Root[];
  /** Roots or folders that could not be read, with the reason. */
  errors: { path: string; message: string }[];
}

/**
 * Lists every watched file under the roots with one stat each. Symlinked
 * folders are not followed (loops); symlinked files are, since Claude Code's
 * agent task `.output` is a link to the subagent's transcript.
 */
export async function scanRoots(roots: readonly Root[]): Promise<ScanResult> {
  const result: ScanResult = { files: [], missing: [], errors: [] };
  for (const root of roots) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(root.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) result.missing.push(root);
      else result.errors.push({ path: root.path, message: describe(error) });
      continue;
    }
    if (info.isFile) {
      const entry = await statEntry(root.path, root);
      if (entry) result.files.push(entry);
    } else if (info.isDirectory) {
      await walk(root.path, root, result);
    }
  }
  return result;
}

/**
 * Lists the watched files in one folder under `root` and below it: a folder
 * that just appeared, whose first files may predate the watch on it.
 */
export async function scanFolder(dir: string, root: Root): Promise<ScanResult> {
  const result: ScanResult = { files: [], missing: [], errors: [] };
  await walk(dir, root, result);
  return result;
}

/**
 * Each existing root's realpath (root path → resolved path): macOS FSEvents
 * names changed files under the resolved folder, not under a symlinked root.
 */
export async function realRoots(roots: readonly Root[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const root of roots) {
    try {
      out.set(root.path, await Deno.realPath(root.path));
    } catch {
      // Not there (yet): the scan reports it as missing.
    }
  }
  return out;
}

/** Stats one candidate file; null when it is gone or not a regular file. */
export async function statEntry(path: string, root: Root): Promise<FileEntry | null> {
  try {
    const link = await Deno.lstat(path);
    const target = link.isSymlink ? await Deno.stat(path) : link;
    if (!target.isFile) return null;
    // Resolved even for plain files: a symlinked folder (a linked ~/.claude)
    // must not make one transcript two agents.
    const realPath = await Deno.realPath(path);
    return {
      ...classify(realPath === path ? path : realPath, root),
      path,
      realPath,
      size: target.size,
      mtime: target.mtime?.getTime() ?? 0,
      ino: target.ino,
    };
  } catch {
    // Gone between listing and stat, or a dangling link: not a file to show.
    return null;
  }
}

async function walk(dir: string, root: Root, result: ScanResult): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      result.errors.push({ path: dir, message: describe(error) });
    }
    return;
  }
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) {
      await walk(path, root, result);
    } else if ((entry.isFile || entry.isSymlink) && isWatchedName(entry.name, root.kind)) {
      const file = await statEntry(path, root);
      if (file) result.files.push(file);
    }
  }
}

export function describe(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) return `permission denied (${error.message})`;
  return error instanceof Error ? error.message : String(error);
}
