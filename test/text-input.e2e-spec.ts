import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { DataSource, QueryFailedError } from 'typeorm';
import { poolQuery } from '../src/common/pool-query.js';
import { asAdmin, login, registerCitizen } from './support/auth.js';
import { BIRTH, fileDossier, HAC_THANH, type Filed } from './support/dossiers.js';
import { pdfBytes, uploadPdf } from './support/files.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/*
 * Text PostgreSQL cannot store, U+0000 and a lone UTF-16 surrogate, in every string an operation of
 * the OpenAPI document takes: each field of a JSON body (and a key of each free-form object), each
 * query and path parameter, each multipart part. The operations and their fields are read from
 * /docs-json, so a new route is covered the day it is documented. Each request is otherwise
 * plausible and sent by a caller the route admits (its x-roles), and must be 400 INVALID_TEXT
 * naming the field: never a 5xx, never a bare 400 that says nothing.
 */

interface Schema {
  type?: string;
  $ref?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}
interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Param[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  'x-roles'?: string[];
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Where the hostile text goes in a body: a path of keys, ending at a string value or at a key. */
type Key = string | number;
interface BodySlot {
  path: Key[];
  asKey: boolean;
}

const BAD = '__BAD__';
/**
 * Each hostile character as written in a JSON body (an escape, as a client would send it; JSON.parse
 * turns `\ud800` back into the lone surrogate) and as it can come in a URL.
 */
const HOSTILE = [
  { name: 'U+0000', json: '\\u0000', url: '%00' },
  { name: 'U+D800', json: '\\ud800', url: '%ED%A0%80' }, // in a URL: the surrogate's would-be UTF-8 bytes, the closest a URL can come
];

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function resolve(doc: Doc, s: Schema | undefined, seen = 0): Schema | undefined {
  if (!s || seen > 8) return s;
  if (s.$ref) return resolve(doc, doc.components?.schemas?.[s.$ref.split('/').pop()!], seen + 1);
  if (s.allOf?.length) {
    const parts = s.allOf.map((p) => resolve(doc, p, seen + 1) ?? {});
    return {
      ...Object.assign({}, ...parts),
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
      required: parts.flatMap((p) => p.required ?? []),
    };
  }
  const alt = s.oneOf?.[0] ?? s.anyOf?.[0];
  return alt ? resolve(doc, alt, seen + 1) : s;
}

const isFreeForm = (s: Schema) => (s.type === 'object' || s.additionalProperties !== undefined) && !Object.keys(s.properties ?? {}).length;

/** Every place in a body of `schema` where text goes: string values, and the keys of free-form objects. */
function bodySlots(doc: Doc, schema: Schema | undefined, path: Key[] = [], depth = 0): BodySlot[] {
  const s = resolve(doc, schema);
  if (!s || depth > 6) return [];
  if (s.type === 'array') return bodySlots(doc, s.items, [...path, 0], depth + 1);
  if (s.properties && Object.keys(s.properties).length) return Object.entries(s.properties).flatMap(([k, p]) => bodySlots(doc, p, [...path, k], depth + 1));
  if (isFreeForm(s))
    return [
      { path: [...path, 'ghiChu'], asKey: false },
      { path: [...path, `ten${BAD}`], asKey: true },
    ];
  if (s.type === 'string' && s.format !== 'binary') return [{ path, asKey: false }];
  return [];
}

/** Plausible values by parameter name, for path parameters the document gives no example of. */
function pathValue(name: string, route: string, known: Known): string {
  if (name === 'idOrCode' || name === 'dossierId') return known.dossier.id;
  if (name === 'id') return route.startsWith('/api/v1/files') ? known.fileId : randomUUID();
  if (name === 'code') return route.includes('/agencies') ? HAC_THANH : route.includes('/public/dossiers') ? known.dossier.code : BIRTH;
  if (name === 'agencyCode') return HAC_THANH;
  if (name === 'date') return '2026-12-25';
  if (name === 'version') return '1';
  if (name === 'host') return 'example.org';
  if (name === 'file') return 'motcua-demo-ca.crl';
  return 'x';
}

interface Known {
  dossier: Filed;
  fileId: string;
  idNumber: string;
}

/** Values of body fields by name that the schema's examples cannot know: this test's own records. */
function hinted(name: Key | undefined, known: Known): unknown {
  if (name === 'fileId' || name === 'resultFileId') return known.fileId;
  if (name === 'idNumber') return known.idNumber;
  if (name === 'procedureCode') return BIRTH;
  if (name === 'agencyCode' || name === 'competentAgencyCode') return HAC_THANH;
  return undefined;
}

/**
 * `base` (a body known to be accepted) with the slot's text put in, taken from `generated` (a
 * plausible body built around the slot) from the first key on the slot's path that `base` lacks.
 */
function withSlot(base: unknown, generated: unknown, slot: BodySlot): unknown {
  const out = structuredClone(base) as Record<Key, unknown>;
  let into = out;
  let from = generated as Record<Key, unknown>;
  for (const [i, key] of slot.path.entries()) {
    from = from[key] as Record<Key, unknown>;
    const there = into[key];
    if (i === slot.path.length - 1 || there === null || typeof there !== 'object') {
      into[key] = structuredClone(from);
      return out;
    }
    into = there as Record<Key, unknown>;
  }
  return out;
}

/** A plausible value of `schema`; the value at `target` (a path below it) is the placeholder text, or holds it as a key. */
function plausible(doc: Doc, schema: Schema | undefined, known: Known, target?: BodySlot, at = 0, name?: Key): unknown {
  const s = resolve(doc, schema) ?? {};
  const here = target && target.path.length === at && !target.asKey;
  if (s.type === 'array') {
    const into = target && target.path.length > at;
    return into || s.items ? [plausible(doc, s.items, known, into ? target : undefined, at + 1, name)] : [];
  }
  if (s.properties && Object.keys(s.properties).length) {
    const next = target && target.path.length > at ? String(target.path[at]) : undefined;
    const keys = Object.keys(s.properties).filter((k) => (s.required ?? []).includes(k) || k === next);
    return Object.fromEntries(keys.map((k) => [k, plausible(doc, s.properties![k], known, k === next ? target : undefined, at + 1, k)]));
  }
  if (isFreeForm(s)) {
    if (!target || target.path.length <= at) return {};
    const key = String(target.path[at]);
    return { [key]: target.asKey ? 'Nguyễn Thị Mai' : `Nguyễn ${BAD} Mai` };
  }
  if (here) return `Nguyễn ${BAD} An`;
  if (hinted(name, known) !== undefined) return hinted(name, known);
  if (s.enum?.length) return s.enum[0];
  if (s.example !== undefined) return s.example;
  if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1;
  if (s.type === 'boolean') return false;
  if (s.format === 'uuid') return known.fileId;
  if (s.format === 'date') return '2026-12-25';
  if (s.format === 'date-time') return '2026-12-25T09:00:00+07:00';
  if (s.format === 'email') return 'an.nguyen@example.vn';
  if (s.format === 'uri' || s.format === 'url') return 'https://hooks.example.vn/motcua';
  return 'Nguyễn Văn An';
}

/** The field the answer must name: the dotted path, a bad key printed with its escape. */
function expectedField(slot: BodySlot, hostile: (typeof HOSTILE)[number]): string {
  return slot.path.map((k) => String(k).replace(BAD, hostile.json)).join('.');
}

describe('text PostgreSQL cannot store, in every string the OpenAPI document takes', () => {
  let t: TestApp;
  let doc: Doc;
  let known: Known;
  let callers: Record<string, Record<string, string>>;
  let citizen: { idNumber: string; token: string; id: string };
  let acceptedBodies: Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
    citizen = await registerCitizen(t);
    const fileId = await uploadPdf(t, { token: citizen.token });
    known = { dossier: await fileDossier(t, citizen, { fileId }), fileId, idNumber: citizen.idNumber };
    // Filing takes a body no schema can guess (an attachment per required component): start from one that is accepted.
    const proc = (await t.http().get(`/api/v1/procedures/${BIRTH}`).expect(200)).body;
    acceptedBodies = {
      'post /api/v1/dossiers': {
        procedureCode: BIRTH,
        agencyCode: HAC_THANH,
        resultDelivery: 'ONLINE',
        attachments: proc.components.filter((c: { required: boolean }) => c.required).map((c: { code: string }) => ({ componentCode: c.code, fileId })),
        applicant: { fullName: 'Nguyễn Văn An', idNumber: citizen.idNumber, dateOfBirth: '1990-03-15', phone: '0912345678', address: 'Số 5 Lê Lợi, Thanh Hóa' },
        formData: { childName: 'Nguyễn Thị Mai', childDateOfBirth: '2026-11-01' },
      },
    };
    const bearer = async (user: string) => ({ Authorization: `Bearer ${await login(t, user, 'Demo@2026')}` });
    callers = {
      ADMIN: await asAdmin(t),
      CITIZEN: { Authorization: `Bearer ${citizen.token}` },
      RECEPTION_OFFICER: await bearer('tiepnhan.hacthanh'),
      SPECIALIST: await bearer('chuyenvien.hacthanh'),
      LEADER: await bearer('lanhdao.hacthanh'),
    };
    doc = (await t.http().get('/docs-json').expect(200)).body;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([m]) => METHODS.includes(m))
        .map(([method, op]) => ({ method, path, op })),
    );

  /** Headers of a caller the operation admits: the admin where it may, otherwise the first role it lists that the demo data has. */
  function callerFor(op: Operation): Record<string, string> {
    const roles = op['x-roles'];
    if (!roles?.length || roles.includes('ADMIN')) return callers.ADMIN;
    const role = roles.find((r) => callers[r]);
    if (!role) throw new Error(`no demo caller for roles ${roles.join(', ')}`);
    return callers[role];
  }

  function urlOf(path: string, op: Operation, override?: { param: Param; raw: string }): string {
    const params = op.parameters ?? [];
    let url = path;
    for (const p of params.filter((x) => x.in === 'path')) {
      const value = encodeURIComponent(String(p.schema?.enum?.[0] ?? pathValue(p.name, path, known)));
      url = url.replace(`{${p.name}}`, override?.param === p ? value + override.raw : value);
    }
    const query = params.filter((x) => x.in === 'query' && (x.required || x === override?.param));
    const parts = query.map((p) => {
      const value = encodeURIComponent(String(plausible(doc, p.schema, known)));
      return `${p.name}=${override?.param === p ? value + override.raw : value}`;
    });
    return parts.length ? `${url}?${parts.join('&')}` : url;
  }

  function jsonBodyOf(op: Operation): Schema | undefined {
    return op.requestBody?.content?.['application/json']?.schema;
  }

  /** The plausible body of an operation, with the slot's placeholder text in it when one is given. */
  function bodyFor(method: string, path: string, schema: Schema, slot?: BodySlot): unknown {
    const generated = plausible(doc, schema, known, slot);
    const base = acceptedBodies[`${method} ${path}`];
    if (!base) return generated;
    return slot ? withSlot(base, generated, slot) : base;
  }

  it('refuses a NUL or a lone surrogate in any JSON body field or free-form key with 400 INVALID_TEXT naming it', async () => {
    const failures: string[] = [];
    const covered: string[] = [];
    for (const { method, path, op } of operations()) {
      const schema = jsonBodyOf(op);
      if (!schema) continue;
      for (const slot of bodySlots(doc, schema)) {
        for (const hostile of HOSTILE) {
          const json = JSON.stringify(bodyFor(method, path, schema, slot)).replace(BAD, hostile.json);
          const res = await t
            .http()
            [method as 'post'](urlOf(path, op))
            .set(callerFor(op))
            .set('Idempotency-Key', randomUUID())
            .set('Content-Type', 'application/json')
            .send(json);
          const field = expectedField(slot, hostile);
          covered.push(`${method.toUpperCase()} ${path} ${field}`);
          if (res.status !== 400 || res.body.code !== 'INVALID_TEXT' || res.body.details?.[0]?.field !== field) {
            failures.push(`${method.toUpperCase()} ${path} ${field} (${hostile.name}) → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
          }
        }
      }
    }
    // The attack of the issue is among the generated cases, and the generation found plenty.
    for (const field of ['applicant.fullName', 'formData.ghiChu', 'formData.ten\\u0000', 'attachments.0.stateDataRef'])
      expect(covered).toContain(`POST /api/v1/dossiers ${field}`);
    expect(new Set(covered.map((c) => c.split(' ').slice(0, 2).join(' '))).size).toBeGreaterThan(40);
    expect(covered.length).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  }, 300_000);

  it('refuses a NUL or bytes that are not UTF-8 in any query or path parameter with 400 INVALID_TEXT naming it', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const { method, path, op } of operations()) {
      for (const param of (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query')) {
        for (const hostile of HOSTILE) {
          let r = t
            .http()
            [method as 'get'](urlOf(path, op, { param, raw: hostile.url }))
            .set(callerFor(op));
          const schema = jsonBodyOf(op);
          if (schema) r = r.set('Content-Type', 'application/json').send(JSON.stringify(bodyFor(method, path, schema)));
          const res = await r;
          sent += 1;
          // The router decodes path segments before any route is chosen, so one that is not UTF-8 can only be named as "path".
          const field = param.in === 'path' && hostile.name !== 'U+0000' ? 'path' : param.name;
          if (res.status !== 400 || res.body.code !== 'INVALID_TEXT' || res.body.details?.[0]?.field !== field) {
            failures.push(
              `${method.toUpperCase()} ${path} ${param.in} ${param.name} (${hostile.name}) → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
            );
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  }, 300_000);

  it('checks a URL after authentication (an anonymous caller hears 401, not what is wrong with it) and a body before', async () => {
    const res = await t.http().get(`/api/v1/dossiers/${known.dossier.id}%00`);
    expect(res.status).toBe(401);
    const body = await t.http().post('/api/v1/admin/users').set('Content-Type', 'application/json').send('{"username":"a\\u0000"}');
    // A body is read before the route is known: its check needs no caller.
    expect(body.body).toMatchObject({ statusCode: 400, code: 'INVALID_TEXT', details: [{ field: 'username' }] });
  });

  it('leaves well-formed text alone: a surrogate pair and Vietnamese are filed and read back as sent', async () => {
    const proc = (await t.http().get(`/api/v1/procedures/${BIRTH}`).expect(200)).body;
    const attachments = proc.components
      .filter((c: { required: boolean }) => c.required)
      .map((c: { code: string }) => ({ componentCode: c.code, fileId: known.fileId }));
    const body = {
      procedureCode: BIRTH,
      agencyCode: HAC_THANH,
      resultDelivery: 'ONLINE',
      attachments,
      applicant: {
        fullName: `Nguyễn Văn ${BAD}`,
        idNumber: citizen.idNumber,
        dateOfBirth: '1990-03-15',
        phone: '0912345678',
        address: 'Số 5 Lê Lợi, Thanh Hóa',
      },
      formData: { childName: 'Nguyễn Thị Mai 🐉 \ufffd', childDateOfBirth: '2026-11-01' },
    };
    const res = await t
      .http()
      .post('/api/v1/dossiers')
      .set(callers.CITIZEN)
      .set('Idempotency-Key', randomUUID())
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body).replace(BAD, '\\ud83d\\udc09'));
    expect(res.status).toBe(201);
    const read = (await t.http().get(`/api/v1/dossiers/${res.body.id}`).set(callers.CITIZEN).expect(200)).body;
    expect(read.applicant.fullName).toBe('Nguyễn Văn 🐉');
    expect(read.formData.childName).toBe('Nguyễn Thị Mai 🐉 \ufffd');
    // The query string too: an encoded emoji is a search, not an error.
    await t
      .http()
      .get(`/api/v1/procedures?q=${encodeURIComponent('khai sinh 🐉')}`)
      .expect(200);
  });

  describe('multipart uploads', () => {
    const CRLF = '\r\n';
    /** A multipart body written byte by byte, so names can carry what a form library would refuse or re-encode. */
    function multipart(parts: Array<{ disposition: Buffer | string; type?: string; content: Buffer | string }>): { boundary: string; body: Buffer } {
      const boundary = `----motcua${randomUUID()}`;
      const chunks: Buffer[] = [];
      for (const p of parts) {
        chunks.push(Buffer.from(`--${boundary}${CRLF}Content-Disposition: form-data; `), Buffer.from(p.disposition as string), Buffer.from(CRLF));
        if (p.type) chunks.push(Buffer.from(`Content-Type: ${p.type}${CRLF}`));
        chunks.push(Buffer.from(CRLF), Buffer.from(p.content as string), Buffer.from(CRLF));
      }
      chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
      return { boundary, body: Buffer.concat(chunks) };
    }
    const upload = (m: { boundary: string; body: Buffer }) =>
      t.http().post('/api/v1/files').set(callers.CITIZEN).set('Content-Type', `multipart/form-data; boundary=${m.boundary}`).send(m.body);

    /** The multipart operations and their parts, from the document. */
    function multipartOperations() {
      return operations().flatMap(({ method, path, op }) => {
        const schema = resolve(doc, op.requestBody?.content?.['multipart/form-data']?.schema);
        return schema
          ? [{ method, path, properties: Object.entries(schema.properties ?? {}).map(([name, p]) => ({ name, binary: resolve(doc, p)?.format === 'binary' })) }]
          : [];
      });
    }

    it('refuses a file name holding a NUL (RFC 5987 percent-encoded) with 400 INVALID_TEXT, and stores nothing', async () => {
      const ops = multipartOperations();
      expect(ops.map((o) => `${o.method} ${o.path}`)).toContain('post /api/v1/files');
      const before = (await t.db.query('SELECT count(*)::int AS n FROM stored_files')).rows[0].n;
      let sent = 0;
      for (const { properties } of ops) {
        for (const part of properties.filter((p) => p.binary)) {
          for (const disposition of [`name="${part.name}"; filename*=UTF-8''giay%00to.pdf`, `name="${part.name}"; filename*=UTF-8''gi%E1%BA%A5y.pdf%00.exe`]) {
            const res = await upload(multipart([{ disposition, type: 'application/pdf', content: pdfBytes() }]));
            sent += 1;
            expect({ disposition, status: res.status, code: res.body.code, field: res.body.details?.[0]?.field }).toEqual({
              disposition,
              status: 400,
              code: 'INVALID_TEXT',
              field: part.name,
            });
          }
        }
      }
      expect(sent).toBeGreaterThan(0);
      expect((await t.db.query('SELECT count(*)::int AS n FROM stored_files')).rows[0].n).toBe(before);
    });

    it('refuses a NUL in the value of a text part; a NUL byte in a part header (a name, a file name) is a malformed upload', async () => {
      const file = { disposition: 'name="file"; filename="giay-to.pdf"', type: 'application/pdf', content: pdfBytes() };
      const cases: Array<[string, Array<{ disposition: Buffer | string; type?: string; content: Buffer | string }>, string, string]> = [
        ['a text part whose value holds a NUL', [{ disposition: 'name="ghichu"', content: 'a\u0000b' }, file], 'INVALID_TEXT', 'ghichu'],
        ['a text part whose value holds a NUL, after the file', [file, { disposition: 'name="ghichu"', content: 'a\u0000b' }], 'INVALID_TEXT', 'ghichu'],
        [
          'a text part named with a NUL byte',
          [{ disposition: Buffer.concat([Buffer.from('name="ghi'), Buffer.from([0]), Buffer.from('chu"')]), content: 'x' }, file],
          'INVALID_UPLOAD',
          'file',
        ],
        [
          'a file part named with a NUL byte',
          [{ ...file, disposition: Buffer.concat([Buffer.from('name="fi'), Buffer.from([0]), Buffer.from('le"; filename="a.pdf"')]) }],
          'INVALID_UPLOAD',
          'file',
        ],
        [
          'a raw NUL byte in a file name',
          [{ ...file, disposition: Buffer.concat([Buffer.from('name="file"; filename="giay'), Buffer.from([0]), Buffer.from('to.pdf"')]) }],
          'INVALID_UPLOAD',
          'file',
        ],
      ];
      const before = (await t.db.query('SELECT count(*)::int AS n FROM stored_files')).rows[0].n;
      for (const [what, parts, code, field] of cases) {
        const res = await upload(multipart(parts));
        expect({ what, status: res.status, code: res.body.code, field: res.body.details?.[0]?.field }).toEqual({ what, status: 400, code, field });
      }
      expect((await t.db.query('SELECT count(*)::int AS n FROM stored_files')).rows[0].n).toBe(before);
    });

    it('never answers 5xx to a file name in bytes that are not UTF-8: they are read as U+FFFD and the file is stored', async () => {
      const res = await upload(
        multipart([
          {
            disposition: Buffer.concat([Buffer.from('name="file"; filename="giay'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('.pdf"')]),
            type: 'application/pdf',
            content: pdfBytes(),
          },
        ]),
      );
      expect(res.status).toBe(201);
      expect(res.body.fileName).toBe('giay\ufffd\ufffd\ufffd.pdf');
    });
  });

  it('refuses a NUL in any documented header before the application sees it (Node answers 400); a would-be surrogate there is Latin-1 text, never a 5xx', async () => {
    const server = t.app.getHttpServer();
    if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as net.AddressInfo;
    const statusLine = (head: string) =>
      new Promise<string>((done, fail) => {
        const socket = net.connect(port, '127.0.0.1', () =>
          socket.end(Buffer.from(`${head}Content-Length: 2\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{}`, 'latin1')),
        );
        let answer = '';
        socket.on('data', (c) => (answer += c.toString('latin1')));
        socket.on('close', () => done(answer.split('\r\n')[0]));
        socket.on('error', fail);
      });
    const headers = operations().flatMap(({ method, path, op }) =>
      (op.parameters ?? []).filter((p) => p.in === 'header').map((h) => ({ method, path, op, name: h.name })),
    );
    expect(headers.map((h) => h.name.toLowerCase())).toContain('idempotency-key');
    for (const { method, path, op, name } of headers) {
      const auth = callerFor(op).Authorization;
      const line = await statusLine(
        `${method.toUpperCase()} ${urlOf(path, op)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\n${name}: motcua-\u0000-key-0001\r\n`,
      );
      expect({ name, line }).toEqual({ name, line: 'HTTP/1.1 400 Bad Request' });
      // The bytes ED A0 80 are read as the three Latin-1 letters they are: a key of the wrong format, or a bad signature.
      const res = await t.http()[method as 'post'](urlOf(path, op)).set(callerFor(op)).set(name, 'motcua-\u00ed\u00a0\u0080-key-0001').send({});
      expect({ name, status: res.status < 500, shaped: res.body.statusCode === res.status && typeof res.body.code === 'string' }).toEqual({
        name,
        status: true,
        shaped: true,
      });
    }
  });

  it('maps what PostgreSQL itself refuses on the raw pool path to the error TypeORM would give (the filter answers it 400 INVALID_TEXT)', async () => {
    const ds = t.app.get(DataSource);
    for (const [sql, value, code] of [
      ['SELECT $1::text AS v', 'a\u0000b', '22021'],
      ['SELECT $1::jsonb AS v', JSON.stringify({ a: '\u0000' }), '22P05'],
    ] as const) {
      const e = await poolQuery(ds, sql, [value]).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(QueryFailedError);
      expect((e as { code?: string }).code).toBe(code);
    }
  });
});
