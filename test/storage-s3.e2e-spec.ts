import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { StoredContentMissing } from '../src/documents/file-storage.js';
import { createS3Client, S3Storage, StorageUnavailableError } from '../src/documents/s3-storage.js';
import { DEMO_PASSWORD } from '../src/seed/demo-accounts.js';
import { login, registerCitizen } from './support/auth.js';
import { fileDossier } from './support/dossiers.js';
import { pdfBytes, uploadPdf } from './support/files.js';
import { startS3Server, type S3TestServer } from './support/s3.js';
import { createTestApp, createTestDatabase, type TestApp } from './support/test-app.js';

type Citizen = Awaited<ReturnType<typeof registerCitizen>>;

const upload = (t: TestApp, who: Citizen, bytes: Buffer, filename = 'giay-khai-sinh.pdf') =>
  t.http().post('/api/v1/files').set('Authorization', `Bearer ${who.token}`).attach('file', bytes, { filename, contentType: 'application/pdf' });
const download = (t: TestApp, token: string, id: string) =>
  t.http().get(`/api/v1/files/${id}/content`).set('Authorization', `Bearer ${token}`).responseType('blob');

/** A PDF of about `size` bytes, distinct per call. */
const bigPdf = (size: number) => Buffer.concat([pdfBytes('lớn'), randomBytes(size), Buffer.from('\n%%EOF\n')]);

async function objectKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!);
}

async function objectBytes(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

describe('S3 storage shared by replicas', () => {
  const PREFIX = 'replicas/files/';
  let s3: S3TestServer;
  let a: TestApp;
  let b: TestApp;
  let owner: Citizen;
  let other: Citizen;

  const objectKeyOf = async (id: string) => PREFIX + (await a.db.query('SELECT storage_key FROM stored_files WHERE id = $1', [id])).rows[0].storage_key;

  beforeAll(async () => {
    s3 = await startS3Server();
    // Two instances of the service on one database and one bucket, as two machines would run it:
    // each its own data folder, the same JWT secret, nothing shared on disk.
    const env = { ...s3.env, S3_PREFIX: PREFIX, JWT_SECRET: randomBytes(32).toString('hex'), SEED_DEMO: 'true' };
    a = await createTestApp({ env });
    const dataDirB = path.join(a.config.dataDir, '..', `${path.basename(a.config.dataDir)}-replica-b`);
    mkdirSync(dataDirB, { recursive: true });
    b = await createTestApp({ env: { ...env, DATA_DIR: dataDirB }, databaseUrl: a.config.databaseUrl });
    owner = await registerCitizen(a);
    other = await registerCitizen(b);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await s3?.close();
  });

  it('serves through replica B, byte for byte, a PDF uploaded through replica A', async () => {
    expect(b.config.filesDir).not.toBe(a.config.filesDir);
    const bytes = pdfBytes('tờ khai');
    const up = await upload(a, owner, bytes).expect(201);

    const got = await download(b, owner.token, up.body.id).expect(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0);
    // It is in the bucket under the prefix, and on neither replica's disk.
    expect(await objectKeys(s3.client, s3.bucket, PREFIX)).toContain(await objectKeyOf(up.body.id));
    expect(Buffer.compare(await objectBytes(s3.client, s3.bucket, await objectKeyOf(up.body.id)), bytes)).toBe(0);
    for (const dir of [a.config.filesDir, b.config.filesDir]) expect(existsSync(dir) ? readdirSync(dir, { recursive: true }) : []).toEqual([]);
  });

  it('streams a file larger than one part (multipart upload) from A to B intact', async () => {
    const bytes = bigPdf(7 * 1024 * 1024);
    const up = await upload(a, owner, bytes).expect(201);
    expect(up.body.size).toBe(bytes.length);
    const got = await download(b, owner.token, up.body.id).expect(200);
    expect((got.body as Buffer).length).toBe(bytes.length);
    expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0);
  });

  it('leaves nothing in the bucket for a refused upload', async () => {
    const before = await objectKeys(s3.client, s3.bucket, PREFIX);
    const res = await upload(a, owner, Buffer.from('plain text, not a PDF '.repeat(50)), 'fake.pdf').expect(415);
    expect(res.body.code).toBe('UNSUPPORTED_FILE_TYPE');
    expect(await objectKeys(s3.client, s3.bucket, PREFIX)).toEqual(before);
  });

  it('answers FILE_CORRUPTED, never the bytes, for an object overwritten behind its back', async () => {
    const id = await uploadPdf(a, owner, 'nguyên bản');
    const key = await objectKeyOf(id);
    const original = await objectBytes(s3.client, s3.bucket, key);
    // Same size, other content: only the hash can tell.
    const forged = Buffer.from(original.toString('latin1').replace('/Helvetica', '/Helvetico'), 'latin1');
    expect(forged.length).toBe(original.length);
    expect(forged.equals(original)).toBe(false);
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: forged }));

    for (const replica of [a, b]) {
      const res = await replica.http().get(`/api/v1/files/${id}/content`).set('Authorization', `Bearer ${owner.token}`).expect(500);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({ statusCode: 500, code: 'FILE_CORRUPTED', requestId: expect.any(String) });
      expect(res.text).not.toContain('%PDF');
    }
  });

  it('answers FILE_CORRUPTED for an object deleted behind its back', async () => {
    const id = await uploadPdf(a, owner);
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: await objectKeyOf(id) }));
    const res = await download(b, owner.token, id).expect(500);
    expect(JSON.parse((res.body as Buffer).toString('utf8'))).toMatchObject({ code: 'FILE_CORRUPTED' });
  });

  it('lets the officers of the dossier that attaches a file download it through the other replica, and only them', async () => {
    const bytes = pdfBytes('hồ sơ');
    const up = await upload(a, owner, bytes).expect(201);
    await fileDossier(a, owner, { fileId: up.body.id });
    const got = await download(b, await login(b, 'tiepnhan.hacthanh', DEMO_PASSWORD), up.body.id).expect(200);
    expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0);
    const otherAgency = await login(b, 'chuyenvien.congan', DEMO_PASSWORD);
    expect((await b.http().get(`/api/v1/files/${up.body.id}/content`).set('Authorization', `Bearer ${otherAgency}`).expect(404)).body.code).toBe(
      'FILE_NOT_FOUND',
    );
  });

  it('answers 404 to another user on either replica, as for a file that does not exist', async () => {
    const id = await uploadPdf(a, owner);
    for (const replica of [a, b]) {
      const meta = await replica.http().get(`/api/v1/files/${id}`).set('Authorization', `Bearer ${other.token}`).expect(404);
      expect(meta.body.code).toBe('FILE_NOT_FOUND');
      const content = await replica.http().get(`/api/v1/files/${id}/content`).set('Authorization', `Bearer ${other.token}`).expect(404);
      expect(content.body.code).toBe('FILE_NOT_FOUND');
      expect(content.text).not.toContain('%PDF');
    }
    const ghost = await b.http().get('/api/v1/files/5b1f1c1e-0000-4000-8000-000000000000/content').set('Authorization', `Bearer ${other.token}`).expect(404);
    expect(ghost.body.message).toBe((await b.http().get(`/api/v1/files/${id}/content`).set('Authorization', `Bearer ${other.token}`)).body.message);
  });
});

describe('S3Storage against an S3 server', () => {
  let s3: S3TestServer;
  let storage: S3Storage;
  let client: S3Client;
  /** The commands the storage sends, in order. */
  const sent: string[] = [];

  beforeAll(async () => {
    s3 = await startS3Server('contract');
    client = createS3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket: s3.bucket,
      credentials: { accessKeyId: s3.env.S3_ACCESS_KEY_ID, secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY },
      forcePathStyle: true,
      prefix: 'p/',
    });
    client.middlewareStack.add(
      (next, context) => (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    storage = new S3Storage(client, { bucket: s3.bucket, prefix: 'p/' });
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.close();
  });

  async function* failingAfter(bytes: number) {
    yield Buffer.alloc(bytes, 0x41);
    await new Promise((r) => setTimeout(r, 20));
    throw new Error('client went away');
  }

  it('stores buffers and streams under prefixed keys and gives them back', async () => {
    await storage.put('ab/one', Buffer.from('một'));
    await storage.put('cd/two', Readable.from([Buffer.from('hai '), Buffer.from('ba')]));
    expect(await text(await storage.get('ab/one'))).toBe('một');
    expect(await text(await storage.get('cd/two'))).toBe('hai ba');
    expect(await storage.exists('ab/one')).toBe(true);
    expect((await objectKeys(s3.client, s3.bucket, '')).sort()).toEqual(['p/ab/one', 'p/cd/two']);
    await storage.put('ab/one', Buffer.from('mới'));
    expect(await text(await storage.get('ab/one'))).toBe('mới');
  });

  it('uploads a stream of unknown length in parts', async () => {
    const big = randomBytes(11 * 1024 * 1024);
    sent.length = 0;
    await storage.put('ab/big', Readable.from([big.subarray(0, 3e6), big.subarray(3e6, 9e6), big.subarray(9e6)]));
    expect(sent.filter((c) => c === 'UploadPartCommand').length).toBe(3);
    expect(Buffer.compare(await objectBytes(s3.client, s3.bucket, 'p/ab/big'), big)).toBe(0);
  });

  it('reports missing content, answers exists() with false, and deletes idempotently', async () => {
    await expect(storage.get('ab/none')).rejects.toBeInstanceOf(StoredContentMissing);
    expect(await storage.exists('ab/none')).toBe(false);
    await storage.put('ab/gone', Buffer.from('x'));
    await storage.delete('ab/gone');
    await storage.delete('ab/gone');
    expect(await storage.exists('ab/gone')).toBe(false);
    await expect(storage.get('ab/gone')).rejects.toBeInstanceOf(StoredContentMissing);
  });

  it('leaves nothing under the key when a small stream fails midway', async () => {
    await expect(storage.put('ab/broken', Readable.from(failingAfter(1000)))).rejects.toThrow('client went away');
    expect(await storage.exists('ab/broken')).toBe(false);
  });

  it('aborts a multipart upload whose stream fails after the first part, leaving nothing under the key', async () => {
    sent.length = 0;
    await expect(storage.put('ab/broken-big', Readable.from(failingAfter(6 * 1024 * 1024)))).rejects.toThrow('client went away');
    expect(sent).toContain('UploadPartCommand');
    expect(sent).not.toContain('CompleteMultipartUploadCommand');
    // s3rver does not implement AbortMultipartUpload (it answers 405); AWS S3 and MinIO do.
    expect(sent).toContain('AbortMultipartUploadCommand');
    expect(await storage.exists('ab/broken-big')).toBe(false);
  });

  it('keeps the previous content when a replacement fails', async () => {
    await storage.put('ab/kept', Buffer.from('old'));
    await expect(storage.put('ab/kept', Readable.from(failingAfter(6 * 1024 * 1024)))).rejects.toThrow('client went away');
    expect(await text(await storage.get('ab/kept'))).toBe('old');
  });

  it('refuses keys no provider accepts, before any request', async () => {
    sent.length = 0;
    for (const key of ['../escape', '/etc/passwd', 'ab/.hidden', '']) {
      await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow('invalid storage key');
      await expect(storage.get(key)).rejects.toThrow('invalid storage key');
    }
    expect(sent).toEqual([]);
  });

  it('checks the bucket: fine when it exists, one clear line when it does not or nobody answers', async () => {
    await storage.checkBucket();
    const missing = new S3Storage(client, { bucket: 'no-such-bucket', endpoint: s3.endpoint });
    await expect(missing.checkBucket()).rejects.toThrow(
      new StorageUnavailableError(
        `S3 storage unavailable: bucket "no-such-bucket" at ${s3.endpoint}: the bucket does not exist (create it, or check S3_BUCKET)`,
      ),
    );
    const nowhere = S3Storage.fromSettings({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      bucket: 'ho-so',
      forcePathStyle: true,
      prefix: '',
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    });
    await expect(nowhere.checkBucket()).rejects.toThrow(
      /^S3 storage unavailable: bucket "ho-so" at http:\/\/127\.0\.0\.1:9: no answer \(.*ECONNREFUSED.*; check S3_ENDPOINT and the network\)$/,
    );
    nowhere.onModuleDestroy();
  });
});

describe('start-up with the s3 driver', () => {
  let s3: S3TestServer;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3?.close();
  });

  /** `npm start` (the compiled service) with the given storage settings, until it exits. */
  async function start(storageEnv: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const databaseUrl = await createTestDatabase();
    const dataDir = path.join(process.env.MOTCUA_TEST_DIR!, 'apps', `${path.basename(databaseUrl)}-start`);
    const child = spawn(process.execPath, [path.resolve('dist/src/main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_URL: databaseUrl,
        REDIS_URL: process.env.MOTCUA_TEST_REDIS_URL!,
        QUEUE_PREFIX: `{s${path.basename(databaseUrl)}}`,
        DATA_DIR: dataDir,
        PORT: '0',
        LOG_LEVEL: 'warn',
        SEED_DEMO: 'false',
        ...storageEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    return { code, output };
  }

  it('refuses to start with a bucket it cannot reach, saying so in one line without a stack trace', async () => {
    const [missing, nowhere] = await Promise.all([start({ ...s3.env, S3_BUCKET: 'no-such-bucket' }), start({ ...s3.env, S3_ENDPOINT: 'http://127.0.0.1:9' })]);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain(
      `[motcua] failed to start: S3 storage unavailable: bucket "no-such-bucket" at ${s3.endpoint}: the bucket does not exist (create it, or check S3_BUCKET)\n`,
    );
    expect(nowhere.code).toBe(1);
    expect(nowhere.output).toMatch(
      new RegExp(
        `\\[motcua\\] failed to start: S3 storage unavailable: bucket "${s3.bucket}" at http://127\\.0\\.0\\.1:9: no answer \\(.*ECONNREFUSED.*\\)\\n`,
      ),
    );
    for (const { output } of [missing, nowhere]) {
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('ready:');
    }
  }, 60_000);
});
