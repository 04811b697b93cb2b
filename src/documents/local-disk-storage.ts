import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, FileStorage, StoredContentMissing } from './file-storage.js';

/** Citizens' documents: readable by the service's own user only. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * Content under a directory (FILES_DIR), one file per key. Writes go to `<root>/.tmp` and are
 * renamed into place once flushed to disk; the rename is atomic on one file system, so a crash
 * mid-write leaves at most a stray temporary file, never a partial file under a key. Several
 * replicas may share the directory (e.g. over NFS): keys are unique per stored file.
 */
export class LocalDiskStorage extends FileStorage {
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    super();
    this.tmpDir = path.join(root, '.tmp');
  }

  async put(key: string, content: Readable | Buffer): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(this.tmpDir, { recursive: true, mode: DIR_MODE });
    await mkdir(path.dirname(target), { recursive: true, mode: DIR_MODE });
    const tmp = path.join(this.tmpDir, randomUUID());
    try {
      await writeDurably(tmp, content);
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    // The new directory entry must survive a power cut too: the database row that points at
    // it is committed right after this returns.
    await syncDirectory(path.dirname(target));
  }

  async get(key: string): Promise<Readable> {
    try {
      // Opened here rather than by createReadStream, so a missing file rejects this call
      // instead of erroring a stream that may already be on its way to a client.
      const handle = await open(this.pathOf(key), 'r');
      return handle.createReadStream();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StoredContentMissing(key);
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    return path.join(this.root, key);
  }
}

async function writeDurably(file: string, content: Readable | Buffer): Promise<void> {
  const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
  // `flush` syncs the file to disk before the stream closes: the rename must not publish a file
  // whose bytes are still only in the page cache.
  await pipeline(source, createWriteStream(file, { flags: 'wx', mode: FILE_MODE, flush: true }));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
