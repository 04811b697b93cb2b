import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A JSON file of data/ at the project root, found by walking up from this file, so the same code
 * works from src/ (Jest) and from dist/src/ (the built service and scripts).
 */
export function readProjectData<T>(fileName: string): T {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`data/${fileName}: project root (package.json) not found`);
    dir = up;
  }
  return JSON.parse(readFileSync(path.join(dir, 'data', fileName), 'utf8')) as T;
}
