/**
 * The temp folder tailboard writes its readable copies to (decompressed
 * `.jsonl.zst` rollouts, older Gemini chats in JSON Lines: readable.ts). One
 * folder per process, named `tailboard-copies-*` in the system's temp folder,
 * holding a `.lock` file the process keeps locked while it lives: the lock
 * goes with the process, even one that crashed, so a folder whose lock can
 * be taken is stale. The daemon removes its own folder when it stops and
 * sweeps stale ones when it starts. Only files tailboard names are removed;
 * a folder holding anything else is left where it is.
 */

/** The name every copy folder starts with. */
export const COPY_FOLDER_PREFIX = "tailboard-copies-";

const LOCK = ".lock";

/** Copies (`<n>-<name>.jsonl`), their part-written files and the lock: all tailboard writes there. */
const OWN_FILE = /^(?:\d+-[^/]*\.jsonl(?:\.part)?|\.lock)$/;

/**
 * A folder with no lock file is one a tailboard before locks wrote, or one
 * being made this instant: it counts as stale only once it is this old.
 */
const UNLOCKED_GRACE_MS = 60 * 60 * 1000;

interface Folder {
  path: string;
  lock: Deno.FsFile;
}

let own: Promise<Folder> | null = null;

/** This process's copy folder, made and locked on first use. */
export async function copyFolder(): Promise<string> {
  own ??= _make();
  return (await own).path;
}

async function _make(): Promise<Folder> {
  const path = await Deno.makeTempDir({ prefix: COPY_FOLDER_PREFIX });
  const lock = await Deno.open(`${path}/${LOCK}`, { write: true, create: true });
  await lock.lock(true);
  return { path, lock };
}

/**
 * Makes this process's folder now and removes the folders of runs that
 * ended without removing theirs (a crash, a kill). Returns the folders removed.
 */
export async function sweepCopyFolders(): Promise<string[]> {
  const mine = await copyFolder();
  const tmp = mine.slice(0, mine.lastIndexOf("/"));
  const removed: string[] = [];
  for await (const entry of Deno.readDir(tmp)) {
    if (!entry.isDirectory || !entry.name.startsWith(COPY_FOLDER_PREFIX)) continue;
    const path = `${tmp}/${entry.name}`;
    if (path === mine || !await _isStale(path)) continue;
    if (await _removeOwn(path)) removed.push(path);
  }
  return removed;
}

async function _isStale(path: string): Promise<boolean> {
  let lock: Deno.FsFile;
  try {
    lock = await Deno.open(`${path}/${LOCK}`, { read: true, write: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) return false;
    const info = await Deno.stat(path).catch(() => null);
    const mtime = info?.mtime?.getTime();
    return mtime !== undefined && Date.now() - mtime > UNLOCKED_GRACE_MS;
  }
  try {
    // Taken: the process that held it is gone. Released again with the file.
    return await lock.tryLock(true);
  } finally {
    lock.close();
  }
}

/** Removes the files tailboard names in `path`, then `path` if that left it empty. */
async function _removeOwn(path: string): Promise<boolean> {
  try {
    for await (const entry of Deno.readDir(path)) {
      if (entry.isFile && OWN_FILE.test(entry.name)) await Deno.remove(`${path}/${entry.name}`);
    }
    await Deno.remove(path);
    return true;
  } catch {
    // Something else is in there, or another tailboard swept it first: leave it.
    return false;
  }
}

/** Removes this process's folder and the copies in it (at the daemon's shutdown). */
export async function removeCopyFolder(): Promise<void> {
  const made = own;
  if (made === null) return;
  own = null;
  const { path, lock } = await made;
  lock.close();
  await _removeOwn(path);
}
