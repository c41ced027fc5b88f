import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from '../../../core/log.ts';
import { checkRecording, type Recording } from './recording.ts';
import { requestKey } from './request-key.ts';

export interface IndexedRecording {
  file: string;
  key: string;
  recording: Recording;
}

export interface RecordingIndex {
  /** Loads on first use; `rescan` re-reads the folder so files recorded meanwhile are found. */
  find(key: string, rescan: boolean): Promise<IndexedRecording | undefined>;
  all(): IndexedRecording[];
}

/**
 * Recordings by canonical-request key. The key is recomputed from each file's stored request, not
 * taken from its name, so a hand-edited prompt matches what it now says.
 */
export function createRecordingIndex(dir: string, log: Log): RecordingIndex {
  let byKey = new Map<string, IndexedRecording>();
  let loading: Promise<void> | undefined;
  let loaded = false;
  const warned = new Set<string>();

  async function scan(): Promise<void> {
    const next = new Map<string, IndexedRecording>();
    for (const file of await listJson(dir)) {
      const checked = await readRecording(file);
      if (typeof checked === 'string') {
        if (!warned.has(`${file}\0${checked}`)) log.warn(`Failed to load Bedrock recording ${file}: ${checked}. Fix or delete the file; replay ignores it.`);
        warned.add(`${file}\0${checked}`);
        continue;
      }
      const key = requestKey(checked.request);
      next.set(key, { file, key, recording: checked });
    }
    byKey = next;
    loaded = true;
  }

  // Concurrent misses share one scan rather than each re-reading the folder.
  const rescanOnce = () => (loading ??= scan().finally(() => { loading = undefined; }));

  return {
    async find(key, rescan) {
      if (!loaded || rescan) await rescanOnce();
      return byKey.get(key);
    },
    all: () => [...byKey.values()],
  };
}

async function listJson(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true });
    // Dot files are writeFileAtomic's temp files (or editors'): never half a recording.
    return entries.filter((name) => name.endsWith('.json') && !name.split(/[\\/]/).some((part) => part.startsWith('.'))).sort().map((name) => join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readRecording(file: string): Promise<Recording | string> {
  try {
    return checkRecording(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    return (error as Error).message;
  }
}
