import type { Readable } from 'node:stream';

/**
 * Where file content lives, by key. Deliberately small so that an object store (S3 and the like)
 * can implement it exactly: no listing, no partial reads, no rename. Keys are relative paths of
 * segments in [A-Za-z0-9._-] not starting with a dot (see assertStorageKey).
 */
export abstract class FileStorage {
  /**
   * Stores the content under `key`, replacing any content there, and resolves once it is durable.
   * If it fails (or the stream errors) nothing is left under `key`: readers see the whole new
   * content, or what was there before, never part of it.
   */
  abstract put(key: string, content: Readable | Buffer): Promise<void>;

  /** The content under `key`; rejects with StoredContentMissing when there is none. */
  abstract get(key: string): Promise<Readable>;

  /** Removes the content under `key`; nothing there is not an error. */
  abstract delete(key: string): Promise<void>;

  abstract exists(key: string): Promise<boolean>;
}

export class StoredContentMissing extends Error {
  constructor(readonly key: string) {
    super(`no stored content under key ${key}`);
    this.name = 'StoredContentMissing';
  }
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/**
 * Refuses keys that could escape the storage root or name its internals: no "..", no leading
 * slash, no segment starting with a dot (the local provider keeps its temporary files in ".tmp").
 */
export function assertStorageKey(key: string): void {
  if (!KEY.test(key) || key.length > 255) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
}
