import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { asAdmin, login, registerCitizen } from './support/auth.js';
import { fileDossier } from './support/dossiers.js';
import { uploadPdf } from './support/files.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/*
 * Generated hostile requests over every operation of the OpenAPI document, sent as nobody, a
 * citizen, a one-stop officer and the admin. Whatever the input, the service must answer below
 * 500, and every 4xx in the one error shape. The seed is fixed, so a failure replays exactly;
 * REQUESTS_PER_CASE bounds the run (operations × 4 callers × this many requests); FUZZ_SEED and
 * FUZZ_REQUESTS change them for a longer hunt.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const REQUESTS_PER_CASE = Number(process.env.FUZZ_REQUESTS ?? 8);

interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
}
interface Operation {
  parameters?: Param[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Case {
  method: string;
  path: string;
  op: Operation;
}
interface Sent {
  method: string;
  url: string;
  body?: unknown;
  raw?: string;
  headers: Record<string, string>;
}

/** Values that broke or could break a parser, a pipe or SQL. */
const HOSTILE_SCALARS = [
  '99999999999999999999',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '-1',
  '0',
  '1e309',
  '0x10',
  '1.5',
  '',
  ' ',
  '../../etc/passwd',
  '..%2f..%2f',
  '%00',
  '\u0000',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  "' OR 1=1 --",
  '"; DROP TABLE dossiers; --',
  '١٢٣',
  'Nguyễn Văn Ấn 🐉',
  '\u202e\u0301',
  'a'.repeat(5000),
  '2026-02-30',
  '0000-00-00',
  '9999-99-99',
  '2026-13-01T25:61:61Z',
  '-infinity',
  'NaN',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '1.001193',
  '000.00.20.H56',
  'mine',
  'to-receive',
  'accept',
  '01',
  '06',
  '07',
  'motcua-demo-ca',
];

/** Ids of real records (a filed dossier, its code, an uploaded file), filled in before the run, so requests get past "not found". */
const KNOWN: string[] = [];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_SCALARS) },
  { weight: 2, arbitrary: fc.nat().map((i) => KNOWN[i % KNOWN.length] ?? '') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
);

const deep = (depth: number, leaf: unknown = 1): unknown => {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 3 === 0 ? [v] : { a: v };
  return v;
};

/** A JSON value of the wrong kind, or the right kind with a hostile value. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 2147483648, 1.5, [], {}, [null], { '': null }, { __proto__: { admin: true } }),
  fc.double(),
  fc.integer({ min: 10, max: 60 }).map((d) => deep(d)),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), hostileString, { maxKeys: 3 }),
);

function resolve(doc: { components?: { schemas?: Record<string, Schema> } }, s: Schema | undefined, seen = 0): Schema | undefined {
  if (!s || seen > 5) return s;
  if (s.$ref) return resolve(doc, doc.components?.schemas?.[s.$ref.split('/').pop()!], seen + 1);
  if (s.allOf?.length) return resolve(doc, s.allOf[0], seen + 1);
  return s;
}

/** A value for a schema: mostly plausible (to get past the first check), sometimes hostile. */
function valueFor(doc: Parameters<typeof resolve>[0], schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  if (!s || depth > 4) return hostileValue;
  let plausible: fc.Arbitrary<unknown>;
  if (s.enum?.length) plausible = fc.constantFrom(...s.enum);
  else if (s.type === 'integer') plausible = fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom(2147483648, 1e20, -1e20));
  else if (s.type === 'number') plausible = fc.oneof(fc.double(), fc.integer());
  else if (s.type === 'boolean') plausible = fc.boolean();
  else if (s.type === 'array') plausible = fc.array(valueFor(doc, s.items, depth + 1), { maxLength: 3 });
  else if (s.type === 'object' || s.properties) plausible = objectFor(doc, s, depth + 1);
  else if (s.format === 'date' || s.format === 'date-time')
    plausible = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('2026-02-30', '99999-01-01', '2026-01-01T00:00:00+99:00'),
    );
  else plausible = hostileString;
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: hostileValue });
}

function objectFor(doc: Parameters<typeof resolve>[0], s: Schema, depth: number): fc.Arbitrary<unknown> {
  const props = Object.entries(s.properties ?? {});
  const record = fc.record(Object.fromEntries(props.map(([k, p]) => [k, valueFor(doc, p, depth)])), { requiredKeys: [] });
  const extra = fc.dictionary(fc.constantFrom('unknownField', 'constructor', '__proto__', 'id', 'role'), hostileValue, { maxKeys: 1 });
  return fc.tuple(record, extra, fc.nat(9)).map(([r, x, n]) => (n === 0 ? { ...r, ...x } : r));
}

function requestFor(doc: Parameters<typeof resolve>[0], c: Case): fc.Arbitrary<Sent> {
  const params = c.op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  const pathArb = fc.tuple(...pathParams.map(() => fc.tuple(hostileString, fc.nat(4)))).map((values) => {
    let url = c.path;
    pathParams.forEach((p, i) => {
      const [given, mode] = values[i];
      const v = given.replace(/\p{Cs}/gu, '\uFFFD'); // a lone surrogate cannot be put in a URL at all
      // Mostly encoded; sometimes raw (dots, slashes and percent signs as the router sees them).
      url = url.replace(
        `{${p.name}}`,
        mode === 0 ? v.replace(/[^\x21-\x7e]/gu, encodeURIComponent).replace(/[?#]/g, encodeURIComponent) : encodeURIComponent(v),
      );
    });
    return url;
  });
  const queryArb = fc
    .tuple(
      ...queryParams.map((p) =>
        fc.option(
          fc.oneof(
            valueFor(doc, p.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
            fc.array(hostileString, { minLength: 2, maxLength: 3 }),
          ),
          { nil: undefined },
        ),
      ),
      fc.option(fc.tuple(fc.constantFrom('unknown', 'limit', 'cursor', 'q', '__proto__'), hostileString), { nil: undefined }),
    )
    .map((vals) => {
      const q = new URLSearchParams();
      queryParams.forEach((p, i) => {
        const v = vals[i] as string | string[] | undefined;
        if (v === undefined) return;
        for (const one of Array.isArray(v) ? v : [v]) q.append(p.name, one);
      });
      const extra = vals[queryParams.length] as [string, string] | undefined;
      if (extra) q.append(extra[0], extra[1]);
      const s = q.toString();
      return s ? `?${s}` : '';
    });
  const jsonSchema = c.op.requestBody?.content?.['application/json']?.schema;
  const hasBody = ['post', 'put', 'patch', 'delete'].includes(c.method);
  const bodyArb: fc.Arbitrary<{ body?: unknown; raw?: string }> = !hasBody
    ? fc.constant({})
    : fc.oneof(
        { weight: 5, arbitrary: (jsonSchema ? valueFor(doc, jsonSchema) : hostileValue).map((body) => ({ body })) },
        { weight: 1, arbitrary: hostileValue.map((body) => ({ body })) },
        { weight: 1, arbitrary: fc.integer({ min: 65, max: 100_000 }).map((d) => ({ raw: '['.repeat(d) + ']'.repeat(d) })) },
        { weight: 1, arbitrary: fc.integer({ min: 65, max: 20_000 }).map((d) => ({ raw: '{"a":'.repeat(d) + '1' + '}'.repeat(d) })) },
        { weight: 1, arbitrary: fc.constantFrom('{"a":', '[1,2', 'null', '"x"', '1e99999', '{"__proto__":{"x":1}}').map((raw) => ({ raw })) },
      );
  // Headers the service reads: an idempotency key, and (instead of the caller's) broken credentials.
  const headerValue = hostileString.map((v) => v.replace(/[^\x20-\x7e]/g, '?'));
  const headersArb = fc
    .record(
      {
        'Idempotency-Key': headerValue,
        Authorization: fc.oneof(
          headerValue,
          headerValue.map((v) => `Bearer ${v}`),
          fc.constant('Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6IkFETUlOIn0.'),
        ),
        'X-API-Key': headerValue,
      },
      { requiredKeys: [] },
    )
    .chain((h) => fc.nat(3).map((n) => (n === 0 ? h : { ...(h['Idempotency-Key'] !== undefined ? { 'Idempotency-Key': h['Idempotency-Key'] } : {}) })));
  return fc.tuple(pathArb, queryArb, bodyArb, headersArb).map(([p, q, b, h]) => ({ method: c.method, url: p + q, ...b, headers: h as Record<string, string> }));
}

describe('generated hostile requests over the whole OpenAPI', () => {
  let t: TestApp;
  let callers: Array<[string, Record<string, string>]>;
  let doc: { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

  beforeAll(async () => {
    // FUZZ_LOG=1 prints the server's error log (the stack of each 500) while hunting.
    t = await createTestApp({ env: { SEED_DEMO: 'true', ...(process.env.FUZZ_LOG ? { LOG_LEVEL: 'error' } : {}) } });
    const citizen = await registerCitizen(t);
    const fileId = await uploadPdf(t, { token: citizen.token });
    const filed = await fileDossier(t, citizen, { fileId });
    KNOWN.push(filed.id, filed.code, fileId);
    callers = [
      ['nobody', {}],
      ['citizen', { Authorization: `Bearer ${citizen.token}` }],
      ['officer', { Authorization: `Bearer ${await login(t, 'tiepnhan.hacthanh', 'Demo@2026')}` }],
      ['admin', await asAdmin(t)],
    ];
    doc = (await t.http().get('/docs-json').expect(200)).body;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('never answers 5xx, and every 4xx is {statusCode, code, message, requestId}', async () => {
    const cases: Case[] = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        // Logging out the callers would only make the rest of the run anonymous.
        .filter(([method]) => !(method === 'post' && path.endsWith('/auth/logout')))
        .map(([method, op]) => ({ method, path, op })),
    );
    expect(cases.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let sent = 0;
    const statuses = new Map<number, number>();
    for (const [ci, c] of cases.entries()) {
      const samples = fc.sample(requestFor(doc, c), { seed: SEED + ci, numRuns: REQUESTS_PER_CASE * callers.length });
      for (const [si, req] of samples.entries()) {
        const [who, headers] = callers[si % callers.length];
        let r = t
          .http()
          [req.method as 'get'](req.url)
          .set({ ...headers, ...req.headers })
          .timeout(15_000);
        const raw = req.raw ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
        if (raw !== undefined) r = r.set('Content-Type', 'application/json').send(raw);
        const res = await r;
        sent += 1;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const shaped =
          typeof res.body === 'object' &&
          res.body !== null &&
          res.body.statusCode === res.status &&
          typeof res.body.code === 'string' &&
          typeof res.body.message === 'string' &&
          typeof res.body.requestId === 'string';
        if (res.status >= 500 || (res.status >= 400 && !shaped)) {
          failures.push(
            `${res.status} as ${who}: ${req.method.toUpperCase()} ${req.url.slice(0, 200)} body=${(req.raw ?? JSON.stringify(req.body) ?? '').slice(0, 200)} → ${JSON.stringify(res.body).slice(0, 200)}`,
          );
        }
      }
    }
    expect(sent).toBeGreaterThan(cases.length * 4);
    if (process.env.FUZZ_LOG) process.stderr.write(`statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    // Not everything is refused at the door: some requests get through to the services.
    const success = [...statuses].filter(([code]) => code < 300).reduce((n, [, c]) => n + c, 0);
    expect(success).toBeGreaterThan(sent / 50);
    expect(failures).toEqual([]);
  }, 180_000);

  it('answers 400 to a deeply nested body (BODY_TOO_DEEP), an out-of-range version and an exponent-form decimal', async () => {
    const depth = 100_000;
    const res = await t
      .http()
      .post('/api/v1/dossiers')
      .set(callers[1][1])
      .set('Idempotency-Key', crypto.randomUUID())
      .set('Content-Type', 'application/json')
      .send('['.repeat(depth) + ']'.repeat(depth));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'BODY_TOO_DEEP', requestId: expect.any(String) });
    const justDeepEnough = await t
      .http()
      .post('/api/v1/auth/login')
      .send(deep(60, 'x') as object);
    expect(justDeepEnough.status).toBe(400);
    expect(justDeepEnough.body.code).not.toBe('BODY_TOO_DEEP');
    const huge = await t.http().get('/api/v1/procedures/1.001193/versions/99999999999999999999');
    expect(huge.status).toBe(400);
    expect(huge.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'version' }] });
    const beyondInt = await t.http().get('/api/v1/procedures/1.001193/versions/2147483648');
    expect(beyondInt.status).toBe(400);
    await t.http().get('/api/v1/procedures/1.001193/versions/1').expect(200);
    // A number JavaScript prints in exponent form used to crash class-validator's decimal check.
    const tiny = await t
      .http()
      .patch('/api/v1/admin/procedures/1.001193')
      .set(callers[3][1])
      .send({ expectedVersion: 1, timeLimit: { value: 1e-7, unit: 'WORKING_DAYS' } });
    expect(tiny.status).toBe(400);
    expect(tiny.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'timeLimit.value' })] });
  });
});
