import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeOnce } from './write-once.js';

describe('writeOnce', () => {
  it('creates the file once: a second writer keeps the first content, and no temporary file is left', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'motcua-write-once-'));
    try {
      const file = path.join(dir, 'secret');
      expect(writeOnce(file, 'first\n')).toBe(true);
      expect(writeOnce(file, 'second\n')).toBe(false);
      expect(readFileSync(file, 'utf8')).toBe('first\n');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual(['secret']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails when the folder cannot be written, leaving nothing behind', () => {
    expect(() => writeOnce('/dev/null/motcua/secret', 'x')).toThrow(/ENOTDIR/);
  });
});
