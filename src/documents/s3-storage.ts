import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { S3Settings } from '../config/app-config.js';
import { assertStorageKey, FileStorage, StoredContentMissing } from './file-storage.js';

/** Where the objects live; S3Settings is one. `endpoint` and `region` only name the place in messages. */
export interface S3Location {
  bucket: string;
  /** Prepended to every key: empty, or ending with "/". */
  prefix?: string;
  endpoint?: string;
  region?: string;
}

/** The bucket cannot be used: the message is one line naming the bucket and the server. */
export class StorageUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

/** A client for the configured server. No request timeout: a download may be read slowly by its client. */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    requestHandler: { connectionTimeout: 5000 },
  });
}

/**
 * Content in an S3-compatible bucket (AWS S3, MinIO, ...), one object per key, so that every
 * replica of the API reads what any of them stored. A PUT is atomic on S3: readers see the old
 * object or the new one, never part of one. Streams of unknown length go up in parts (multipart
 * upload); if the stream or a part fails, the upload is aborted and nothing appears under the key.
 * Each request carries a SHA-256 checksum that the server verifies (servers that do not know the
 * header, like the s3rver used in tests, ignore it); reads are checked again against the hash
 * taken at upload by FilesService.
 */
export class S3Storage extends FileStorage implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('S3Storage');
  private readonly prefix: string;

  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
  ) {
    super();
    this.prefix = location.prefix ?? '';
  }

  /** The storage for the configuration, with a client of its own (closed with the application). */
  static fromSettings(settings: S3Settings): S3Storage {
    return new S3Storage(createS3Client(settings), settings);
  }

  /** Start-up refuses to serve with a bucket it cannot reach. */
  async onModuleInit(): Promise<void> {
    await this.checkBucket();
  }

  onModuleDestroy(): void {
    this.client.destroy();
  }

  /** HeadBucket; rejects with StorageUnavailableError saying what is wrong and where. */
  async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.location.bucket }));
    } catch (e) {
      throw new StorageUnavailableError(describeBucketProblem(this.location, e));
    }
  }

  async put(key: string, content: Readable | Buffer): Promise<void> {
    const Key = this.objectKey(key);
    // The upload reports the failure of its last step (e.g. the abort); the caller must hear why
    // the content failed in the first place.
    let sourceError: unknown;
    if (!Buffer.isBuffer(content)) content.once('error', (e) => (sourceError ??= e));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.location.bucket, Key, Body: bodyOf(content), ChecksumAlgorithm: 'SHA256' },
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (e) {
      if (!Buffer.isBuffer(content)) content.destroy();
      if (sourceError !== undefined && sourceError !== e) {
        this.logger.warn(
          { key: Key, problem: errorText(e) },
          'failed upload not cleaned up: a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes its parts',
        );
      }
      throw sourceError ?? e;
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      // Resolves once the server has answered, so a missing object rejects this call rather than
      // erroring a stream already on its way to a client.
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      if (!res.Body) throw new Error(`S3 returned no body for ${key}`);
      return res.Body as Readable;
    } catch (e) {
      if (isNotFound(e)) throw new StoredContentMissing(key);
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 whether or not there was an object: deleting twice is fine.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** The object key for a storage key: checked like every provider's keys, then prefixed. */
  objectKey(key: string): string {
    assertStorageKey(key);
    return this.prefix + key;
  }
}

/**
 * A stream is handed to the upload as a plain Readable: Upload takes a `length` or `size` property
 * of the stream object for its byte count (the upload inspector has a `size` that counts bytes
 * seen so far), and a wrong count makes it abandon a multipart upload after sending the parts.
 */
const bodyOf = (content: Readable | Buffer): Readable | Buffer => (Buffer.isBuffer(content) ? content : Readable.from(content, { objectMode: false }));

const statusOf = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;

/** NoSuchKey from GetObject; HeadObject's 404 has no body, so the SDK names it NotFound. */
function isNotFound(e: unknown): boolean {
  const name = (e as Error | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(e) === 404 && name !== 'NoSuchBucket');
}

/** One line for an operator: which bucket, on which server, and what to check. */
export function describeBucketProblem(location: S3Location, error: unknown): string {
  const place = location.endpoint ?? `AWS S3 (region ${location.region ?? 'us-east-1'})`;
  const status = statusOf(error);
  let reason: string;
  if (status === 404) reason = 'the bucket does not exist (create it, or check S3_BUCKET)';
  else if (status === 403) reason = 'access denied (check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, and the bucket policy)';
  else if (status === 301 || status === 400) reason = `the server answered ${status} (check S3_REGION and S3_FORCE_PATH_STYLE)`;
  else if (status !== undefined) reason = `the server answered ${status} ${(error as Error).name}`;
  else reason = `no answer (${errorText(error)}; check S3_ENDPOINT and the network)`;
  return `S3 storage unavailable: bucket "${location.bucket}" at ${place}: ${reason}`;
}

/** An error's message on one line; a connection failure may be an AggregateError without one. */
function errorText(e: unknown): string {
  const err = e as (Error & { code?: string; errors?: unknown[] }) | null;
  const text = err?.message || (err?.errors?.[0] as Error | undefined)?.message || err?.code || err?.name || String(e);
  return text.replace(/\s+/g, ' ').trim();
}
