import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Response } from 'supertest';
import { FilesService } from '../src/documents/files.service.js';
import type { AuthUser } from '../src/common/auth-context.js';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// Minimal files: the leading bytes file-type recognises, padded to the size a test wants.
const PNG_HEAD = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c489', 'hex');
const JPEG_HEAD = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
const PDF_HEAD = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
const pad = (head: Buffer, size: number, tail = Buffer.alloc(0)) =>
  Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length - tail.length), 0x20), tail]);
const png = (size = 200) => pad(PNG_HEAD, size);
const jpeg = (size = 300) => pad(JPEG_HEAD, size, Buffer.from([0xff, 0xd9]));
const pdf = (size = 400) => pad(PDF_HEAD, size, Buffer.from('\n%%EOF\n'));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** supertest hands back the bytes of any content type. */
const asBytes = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream; // superagent passes the raw response
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Files under a storage root, temporary ones included (directories left out). */
function storedFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true }) as string[]).filter((p) => statSync(path.join(root, p)).isFile());
}

describe('files', () => {
  let t: TestApp;
  let owner: { token: string; id: string };
  let other: { token: string; id: string };

  const upload = (token: string, bytes: Buffer, filename: string, contentType?: string) =>
    t.http().post('/api/v1/files').set('Authorization', `Bearer ${token}`).attach('file', bytes, { filename, contentType });
  const download = (token: string, id: string) =>
    t.http().get(`/api/v1/files/${id}/content`).set('Authorization', `Bearer ${token}`).buffer(true).parse(asBytes);
  const storageKeyOf = async (id: string) => (await t.db.query('SELECT storage_key FROM stored_files WHERE id = $1', [id])).rows[0].storage_key as string;

  beforeAll(async () => {
    t = await createTestApp();
    owner = await registerCitizen(t);
    other = await registerCitizen(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('accepts PDF, JPEG and PNG, answering their hash, size and detected type', async () => {
    const cases = [
      { bytes: pdf(), name: 'Đơn đề nghị.pdf', type: 'application/pdf' },
      { bytes: jpeg(), name: 'ảnh chân dung.jpeg', type: 'image/jpeg' },
      { bytes: png(), name: 'so-do.png', type: 'image/png' },
    ];
    for (const c of cases) {
      const res = await upload(owner.token, c.bytes, c.name, 'application/octet-stream').expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        sha256: sha256(c.bytes),
        size: c.bytes.length,
        contentType: c.type,
        fileName: c.name,
        createdAt: expect.any(String),
      });
      const meta = await t.http().get(`/api/v1/files/${res.body.id}`).set('Authorization', `Bearer ${owner.token}`).expect(200);
      expect(meta.body).toEqual(res.body);
    }
  });

  it('accepts an XML e-form by content, names it .xml and serves it back as application/xml', async () => {
    const form = Buffer.from('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<ToKhai><TenToKhai>Tờ khai đăng ký khai sinh</TenToKhai></ToKhai>\n');
    const res = await upload(owner.token, form, 'Tờ khai khai sinh.txt', 'text/plain').expect(201);
    expect(res.body).toMatchObject({ sha256: sha256(form), size: form.length, contentType: 'application/xml', fileName: 'Tờ khai khai sinh.xml' });
    const got = await download(owner.token, res.body.id).expect(200);
    expect(got.headers['content-type']).toMatch(/^application\/xml/);
    expect(Buffer.compare(got.body as Buffer, form)).toBe(0);
    // Without its declaration, XML is text like any other.
    const bare = await upload(owner.token, Buffer.from('<ToKhai><TenToKhai>Tờ khai</TenToKhai></ToKhai>'), 'to-khai.xml', 'application/xml').expect(415);
    expect(bare.body).toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE', details: [{ field: 'file', detected: null }] });
  });

  it('lets any authenticated caller upload, staff included', async () => {
    const admin = await login(t, ADMIN.username, ADMIN.password);
    await upload(admin, png(), 'a.png').expect(201);
  });

  it('judges the type by content: a PNG named x.pdf and declared as PDF is stored as a PNG named x.png', async () => {
    const res = await upload(owner.token, png(), 'x.pdf', 'application/pdf').expect(201);
    expect(res.body).toMatchObject({ contentType: 'image/png', fileName: 'x.png' });
    const got = await download(owner.token, res.body.id).expect(200);
    expect(got.headers['content-type']).toBe('image/png');
  });

  it('refuses other content with 415, whatever its name or declared type says', async () => {
    const text = await upload(owner.token, Buffer.from('Tôi là văn bản thuần, không phải PDF.\n'), 'don.pdf', 'application/pdf').expect(415);
    expect(text.body).toMatchObject({
      statusCode: 415,
      code: 'UNSUPPORTED_FILE_TYPE',
      details: [{ field: 'file', detected: null, message: expect.any(String) }],
    });
    const gif = await upload(owner.token, pad(Buffer.from('GIF89a\x01\x00\x01\x00'), 64), 'anh.png', 'image/png').expect(415);
    expect(gif.body.details[0]).toMatchObject({ field: 'file', detected: 'image/gif' });
    await upload(owner.token, Buffer.alloc(0), 'empty.pdf').expect(415);
  });

  it('takes files over the 1 MB JSON body limit', async () => {
    const big = pdf(1_500_000);
    const res = await upload(owner.token, big, 'big.pdf').expect(201);
    expect(res.body).toMatchObject({ size: big.length, sha256: sha256(big) });
  });

  it('needs a token', async () => {
    const res = await t.http().post('/api/v1/files').attach('file', png(), 'a.png').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a request without the file, with another field, or with two files, keeping nothing', async () => {
    const before = await t.db.query('SELECT count(*)::int AS n FROM stored_files');
    const filesBefore = storedFiles(t.config.filesDir).length;
    const auth = `Bearer ${owner.token}`;
    const none = await t.http().post('/api/v1/files').set('Authorization', auth).expect(400);
    expect(none.body).toMatchObject({ code: 'FILE_REQUIRED', details: [{ field: 'file' }] });
    const textOnly = await t.http().post('/api/v1/files').set('Authorization', auth).field('file', 'not a file').expect(400);
    expect(textOnly.body.details).toEqual([expect.objectContaining({ field: 'file' })]);
    const extra = await t.http().post('/api/v1/files').set('Authorization', auth).attach('file', png(), 'a.png').field('note', 'x').expect(400);
    expect(extra.body).toMatchObject({ code: 'UNKNOWN_FIELD', details: [expect.objectContaining({ field: 'note' })] });
    const otherName = await t.http().post('/api/v1/files').set('Authorization', auth).attach('document', png(), 'a.png').expect(400);
    expect(otherName.body).toMatchObject({ code: 'UNKNOWN_FIELD', details: [expect.objectContaining({ field: 'document' })] });
    const two = await t.http().post('/api/v1/files').set('Authorization', auth).attach('file', png(), 'a.png').attach('file', png(), 'b.png').expect(400);
    expect(two.body.code).toBe('TOO_MANY_FILES');
    const after = await t.db.query('SELECT count(*)::int AS n FROM stored_files');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(storedFiles(t.config.filesDir)).toHaveLength(filesBefore);
  });

  it('gives the owner back the identical bytes, under a safe download name', async () => {
    const bytes = pdf(70_000);
    const up = await upload(owner.token, bytes, '../../Giấy khai sinh "bản sao".pdf').expect(201);
    expect(up.body.fileName).toBe('Giấy khai sinh _bản sao_.pdf');
    const got = await download(owner.token, up.body.id).expect(200);
    expect(Buffer.compare(got.body as Buffer, bytes)).toBe(0);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-length']).toBe(String(bytes.length));
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="Giay khai sinh _ban sao_.pdf"; filename*=UTF-8''${encodeURIComponent('Giấy khai sinh _bản sao_.pdf')}`,
    );
  });

  it('answers 404 to anyone but the owner, for metadata and content alike', async () => {
    const up = await upload(owner.token, jpeg(), 'cccd.jpg').expect(201);
    const meta = await t.http().get(`/api/v1/files/${up.body.id}`).set('Authorization', `Bearer ${other.token}`).expect(404);
    expect(meta.body.code).toBe('FILE_NOT_FOUND');
    const content = await t.http().get(`/api/v1/files/${up.body.id}/content`).set('Authorization', `Bearer ${other.token}`).expect(404);
    expect(content.body.code).toBe('FILE_NOT_FOUND');
    // The same answer as for a file that does not exist, so existence does not leak.
    const ghost = await t.http().get('/api/v1/files/5b1f1c1e-0000-4000-8000-000000000000').set('Authorization', `Bearer ${other.token}`).expect(404);
    expect(ghost.body.code).toBe(meta.body.code);
    expect(ghost.body.message).toBe(meta.body.message);
    await t.http().get('/api/v1/files/not-a-uuid/content').set('Authorization', `Bearer ${owner.token}`).expect(404);
  });

  it('does not serve a file whose stored bytes changed or vanished after upload', async () => {
    const bytes = png(5_000);
    const up = await upload(owner.token, bytes, 'scan.png').expect(201);
    const file = path.join(t.config.filesDir, await storageKeyOf(up.body.id));
    const damaged = Buffer.from(bytes);
    damaged[4_000] ^= 0xff; // same size, one byte flipped
    writeFileSync(file, damaged);
    const res = await t.http().get(`/api/v1/files/${up.body.id}/content`).set('Authorization', `Bearer ${owner.token}`).expect(500);
    expect(res.body).toMatchObject({ statusCode: 500, code: 'FILE_CORRUPTED', requestId: expect.any(String) });

    const gone = await upload(owner.token, jpeg(), 'gone.jpg').expect(201);
    const goneFile = path.join(t.config.filesDir, await storageKeyOf(gone.body.id));
    rmSync(goneFile);
    expect((await t.http().get(`/api/v1/files/${gone.body.id}/content`).set('Authorization', `Bearer ${owner.token}`).expect(500)).body.code).toBe(
      'FILE_CORRUPTED',
    );
  });

  it('tells other capabilities which files a caller owns, and lets them grant read access', async () => {
    const files = t.app.get(FilesService);
    const mine = await upload(owner.token, pdf(), 'to-khai.pdf').expect(201);
    const theirs = await upload(other.token, pdf(), 'khac.pdf').expect(201);
    const ownerUser = { kind: 'user', id: owner.id } as AuthUser;
    const found = await files.findOwnedBy([mine.body.id, theirs.body.id, 'junk'], ownerUser);
    expect(found.map((f) => f.id)).toEqual([mine.body.id]);

    // A stand-in for the dossiers capability: `other` handles a dossier that attaches `mine`.
    await t.http().get(`/api/v1/files/${mine.body.id}/content`).set('Authorization', `Bearer ${other.token}`).expect(404);
    files.registerReadPolicy({ name: 'test-dossier', readableIds: async (user, ids) => (user.id === other.id ? ids.filter((id) => id === mine.body.id) : []) });
    const granted = await download(other.token, mine.body.id).expect(200);
    expect(sha256(granted.body as Buffer)).toBe(mine.body.sha256);
    expect(await files.readableIds([mine.body.id, theirs.body.id], { kind: 'user', id: other.id } as AuthUser)).toEqual(
      new Set([mine.body.id, theirs.body.id]),
    );
  });
});

describe('files: size limit', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { FILE_MAX_BYTES: '2048' } });
    token = (await registerCitizen(t)).token;
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (bytes: Buffer): Promise<Response> =>
    t
      .http()
      .post('/api/v1/files')
      .set('Authorization', `Bearer ${token}`)
      .attach('file', bytes, 'a.png')
      .then((r) => r);

  it('accepts a file of exactly FILE_MAX_BYTES', async () => {
    expect((await send(png(2048))).status).toBe(201);
  });

  it('refuses a larger one with 413 naming the limit, keeping no part of it', async () => {
    const before = storedFiles(t.config.filesDir).length;
    for (const size of [2049, 50_000]) {
      const res = await send(png(size));
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('2 KB'), details: [{ field: 'file', limitBytes: 2048 }] });
    }
    expect(storedFiles(t.config.filesDir)).toHaveLength(before);
    const rows = await t.db.query('SELECT count(*)::int AS n FROM stored_files');
    expect(rows.rows[0].n).toBe(1);
  });
});
