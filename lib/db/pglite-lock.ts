// PGlite is a single-process database: a second process opening the same files would corrupt them. The
// directory is guarded by a pid lock file, `<dataDir>.lock`, taken atomically (O_EXCL). A stale lock (its
// process is gone) is taken over under a second exclusive file, `<dataDir>.lock.takeover`: only its holder
// may remove the stale lock, so of several processes racing for it exactly one gets the database and the
// others are told it is in use. (Removing a stale lock and creating a new one without it is racy: a
// process that saw the stale lock could remove the lock another process has just taken.)
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";

export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `the embedded database is in use by process ${pid}; stop Pillbox first or set DATABASE_URL ` +
        `(lock file: ${lockFile}; delete it only if no Pillbox process is running)`,
    );
    this.name = "EmbeddedDatabaseInUseError";
  }
}

const openInThisProcess: Set<string> = ((globalThis as { __pillboxPgliteDirs?: Set<string> }).__pillboxPgliteDirs ??=
  new Set<string>());

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Creates `file` holding our pid; false when it already exists. The pid is written to a private file that is
 * then hard-linked into place (atomic, and fails if `file` exists), so nobody ever reads a half-written lock.
 */
function createExclusive(file: string): boolean {
  const draft = `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;
  writeFileSync(draft, `${process.pid}\n`, { flag: "wx" });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw error;
    // A file system without hard links: O_EXCL alone (a reader may briefly see an empty file).
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw fallbackError;
    }
  } finally {
    rmSync(draft, { force: true });
  }
}

/** The pid written in `file`; undefined when the file is gone, NaN when it holds no pid. */
function ownerOf(file: string): number | undefined {
  try {
    return Number.parseInt(readFileSync(file, "utf8").trim(), 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Whether `owner` (read from a lock file) is another live process. Our own pid counts as dead: within this
 * process the lock is never taken twice, so it is a leftover from an earlier run that had the same pid
 * (common in containers).
 */
function heldByOther(owner: number): boolean {
  return Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner);
}

/** Removes `file` if it still holds our pid. */
function removeOwn(file: string): void {
  try {
    if (readFileSync(file, "utf8").trim() === String(process.pid)) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}

/** Takes `<dataDir>.lock` (beside the PGlite directory) and returns its release function. */
export function acquirePidLock(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  if (openInThisProcess.has(dataDir)) {
    throw new Error(`the embedded database ${dataDir} is already open in this process; use the shared client`);
  }
  if (!takeLock(lockFile)) throw new Error(`could not take the embedded database lock ${lockFile}`);
  openInThisProcess.add(dataDir);
  const release = () => {
    process.off("exit", release);
    openInThisProcess.delete(dataDir);
    removeOwn(lockFile);
  };
  process.on("exit", release);
  return release;
}

function takeLock(lockFile: string): boolean {
  const takeoverFile = `${lockFile}.takeover`;
  // Each pass either returns, throws, or sees the lock or the takeover file change hands; a few suffice.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusive(lockFile)) return true;
    const owner = ownerOf(lockFile);
    if (owner === undefined) continue; // released meanwhile
    if (heldByOther(owner)) throw new EmbeddedDatabaseInUseError(owner, lockFile);

    // Stale: take it over, but only while holding the takeover file.
    if (!createExclusive(takeoverFile)) {
      const taker = ownerOf(takeoverFile);
      if (taker === undefined) continue; // the takeover just finished: look again
      if (heldByOther(taker)) throw new EmbeddedDatabaseInUseError(taker, lockFile); // it is taking the lock now
      if (taker !== process.pid) {
        throw new Error(
          `${Number.isNaN(taker) ? "a process" : `process ${taker}`} died while taking over the embedded database lock ${lockFile}; ` +
            `delete ${takeoverFile} if no Pillbox process is running`,
        );
      }
      rmSync(takeoverFile, { force: true }); // ours, left by an earlier run with our pid
      continue;
    }
    try {
      // Nobody else removes the lock while we hold the takeover file, so it is still the one we read unless
      // it was released and taken afresh (then its owner is live and the next pass says so).
      if (Object.is(ownerOf(lockFile), owner)) {
        rmSync(lockFile, { force: true });
        if (createExclusive(lockFile)) return true;
      }
    } finally {
      removeOwn(takeoverFile);
    }
  }
  return false;
}
