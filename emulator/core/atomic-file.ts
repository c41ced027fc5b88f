import { randomBytes } from 'node:crypto';
import { link, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * File writes that a concurrent reader (another emulator starting at the same moment) never sees half
 * done. Both write a temporary file in the target's folder (one file system, so the final step is
 * atomic) and remove it whatever happens. Errors are the file system's own; callers word them.
 */

export interface AtomicWriteOptions {
  /** Permission bits for a new file, e.g. 0o600 for a private key. */
  mode?: number;
}

/** Replaces `file` whole: readers see the old content or the new, never a mix. */
export async function replaceFileAtomic(file: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  await viaTemporary(file, content, options, (tmp) => rename(tmp, file));
}

/**
 * Creates `file` whole unless it already exists, in which case it is left as it is and this returns
 * false: of several processes racing to create it, exactly one wins (a hard link fails on an existing
 * name, where a rename would silently replace it).
 */
export async function createFileAtomic(file: string, content: string, options: AtomicWriteOptions = {}): Promise<boolean> {
  let created = true;
  await viaTemporary(file, content, options, async (tmp) => {
    try {
      await link(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      created = false;
    }
  });
  return created;
}

async function viaTemporary(file: string, content: string, options: AtomicWriteOptions, commit: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { flag: 'wx', mode: options.mode ?? 0o644 });
    await commit(tmp);
  } finally {
    // After a rename the name is gone already; after a link this drops the second name.
    await unlink(tmp).catch(() => undefined);
  }
}
