import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { StoredContentMissing } from './file-storage.js';
import { LocalDiskStorage } from './local-disk-storage.js';

describe('LocalDiskStorage', () => {
  let root: string;
  let storage: LocalDiskStorage;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'motcua-storage-'));
    storage = new LocalDiskStorage(path.join(root, 'files'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores buffers and streams under nested keys and gives them back', async () => {
    await storage.put('ab/one', Buffer.from('một'));
    await storage.put('cd/two', Readable.from([Buffer.from('hai '), Buffer.from('ba')]));
    expect(await text(await storage.get('ab/one'))).toBe('một');
    expect(await text(await storage.get('cd/two'))).toBe('hai ba');
    expect(await storage.exists('ab/one')).toBe(true);
    await storage.put('ab/one', Buffer.from('mới'));
    expect(await text(await storage.get('ab/one'))).toBe('mới');
  });

  it('leaves nothing under the key, nor a temporary file, when the content fails midway', async () => {
    async function* failing() {
      yield Buffer.from('half of a file');
      throw new Error('client went away');
    }
    await expect(storage.put('ab/broken', Readable.from(failing()))).rejects.toThrow('client went away');
    expect(await storage.exists('ab/broken')).toBe(false);
    expect(readdirSync(path.join(root, 'files', '.tmp'))).toEqual([]);
  });

  it('keeps the previous content when a replacement fails', async () => {
    await storage.put('ab/kept', Buffer.from('old'));
    await expect(
      storage.put(
        'ab/kept',
        Readable.from(
          (async function* () {
            yield Buffer.from('ne');
            throw new Error('boom');
          })(),
        ),
      ),
    ).rejects.toThrow('boom');
    expect(readFileSync(path.join(root, 'files', 'ab', 'kept'), 'utf8')).toBe('old');
  });

  it('reports missing content, and deletes idempotently', async () => {
    await expect(storage.get('ab/none')).rejects.toBeInstanceOf(StoredContentMissing);
    await storage.put('ab/gone', Buffer.from('x'));
    await storage.delete('ab/gone');
    await storage.delete('ab/gone');
    expect(await storage.exists('ab/gone')).toBe(false);
  });

  it('refuses keys that would leave the root or reach its internals', async () => {
    for (const key of ['../escape', 'ab/../../escape', '/etc/passwd', '.tmp/x', 'ab/.hidden', '', 'ab//c', 'ab\\c']) {
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow('invalid storage key');
      await expect(storage.get(key)).rejects.toThrow('invalid storage key');
    }
    expect(readdirSync(root)).toEqual([]);
  });
});
