import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { buildOpenApiDocument } from '../src/app.factory.js';
import { ACTION_BODIES } from '../src/dossiers/workflow/action-bodies.js';
import { actionOperationId } from '../src/dossiers/workflow/workflow.controller.js';
import { registerCitizen } from './support/auth.js';
import { pdfBytes } from './support/files.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const run = promisify(execFile);
const ROOT = process.cwd();
/** Under the repository, so the generated client resolves openapi-fetch from its node_modules. */
const WORK = path.join(ROOT, 'dist', 'openapi-client');

type Schema = Record<string, unknown>;
interface Operation {
  operationId?: string;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Document {
  openapi: string;
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Runs a command; on failure the error carries its output, so the test report shows why. */
async function sh(file: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    return (await run(file, args, { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`${path.basename(args[0] ?? file)} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}

const operations = (doc: Document) =>
  Object.entries(doc.paths).flatMap(([route, item]) => Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${route}`, route, op })));

/** Every schema node under `node`, with where it is. */
function* schemaNodes(node: unknown, where: string): Generator<[string, Schema]> {
  if (!node || typeof node !== 'object') return;
  if (!Array.isArray(node) && ('type' in node || 'nullable' in node || '$ref' in node)) yield [where, node as Schema];
  for (const [k, v] of Object.entries(node)) yield* schemaNodes(v, `${where}/${k}`);
}

/**
 * OpenAPI 3.0 schemas as JSON Schema for Ajv: `nullable: true` becomes "or null", and references
 * point into the document registered as `openapi`.
 */
function asJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#/, 'openapi#') : asJsonSchema(v);
  if (out.nullable !== true) return out;
  delete out.nullable;
  return { anyOf: [{ type: 'null' }, out] };
}

/** A validator of answers against the document: which ones do not match the schema of their status. */
function answerChecker(doc: Document) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (createRequire(import.meta.url)('ajv-formats') as (a: Ajv) => void)(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema({ $id: 'openapi', components: asJsonSchema(doc.components) as object });
  return (answers: Array<{ method: string; schemaPath: string; status: number; body: unknown }>) =>
    answers.flatMap((a) => {
      const schema = doc.paths[a.schemaPath]?.[a.method]?.responses[String(a.status)]?.content?.['application/json']?.schema;
      if (!schema) return [`${a.method} ${a.schemaPath} ${a.status}: not in the document`];
      const validate = ajv.compile(asJsonSchema(schema) as object);
      return validate(a.body) ? [] : [`${a.method} ${a.schemaPath} ${a.status}: ${ajv.errorsText(validate.errors)}`];
    });
}

describe('the OpenAPI document and a client generated from it', () => {
  let t: TestApp;
  let doc: Document;
  const docFile = path.join(WORK, 'openapi.json');

  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true' } });
    doc = (await t.http().get('/docs-json').expect(200)).body as Document;
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    writeFileSync(docFile, JSON.stringify(doc, null, 2));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('is the document `npm run openapi:export` writes, built without a database', async () => {
    expect(await buildOpenApiDocument(t.config)).toEqual(doc);
  });

  it('passes `redocly lint` (recommended rules and redocly.yaml) with no error', async () => {
    const cli = path.join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    // Redocly exits 1 when it finds errors; its JSON report is on stdout either way.
    const out = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [cli, 'lint', docFile, '--config', 'redocly.yaml', '--format=json'],
        { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }, maxBuffer: 64 * 1024 * 1024 },
        (_error, stdout) => resolve(stdout),
      );
    });
    const report = JSON.parse(out) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
    };
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems.filter((p) => p.startsWith('error'))).toEqual([]);
    expect(report.totals.errors).toBe(0);
    // Warnings are not errors, but none are expected either: say which ones appeared.
    expect(problems).toEqual([]);
  }, 120_000);

  it('names every operation, gives every answer a schema and every error the error shape', () => {
    const ops = operations(doc);
    expect(doc.servers?.length).toBeGreaterThan(0);
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.filter((id) => !id || !/^[a-z][A-Za-z0-9]+$/.test(id) || /Controller/.test(id))).toEqual([]);
    expect(ids.length).toBe(new Set(ids).size);

    const problems: string[] = [];
    for (const { name, op } of ops) {
      for (const [code, response] of Object.entries(op.responses)) {
        const status = Number(code);
        if (status >= 200 && status < 300 && status !== 204) {
          const media = Object.entries(response.content ?? {});
          if (!media.length || media.some(([, m]) => !m.schema)) problems.push(`${name} ${code}: no schema`);
        }
        if (status >= 400 && !(name === 'GET /health/ready' && code === '503')) {
          if (response.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorResponse')
            problems.push(`${name} ${code}: not the error shape`);
        }
      }
    }
    // A `type: object` with nothing inside is what a `string | null` without `type: String` becomes.
    for (const [where, s] of schemaNodes(doc, '#')) {
      if (s.type === 'object' && !s.properties && !s.additionalProperties && !s.allOf && !s.oneOf && !s.anyOf) problems.push(`${where}: an object of nothing`);
      if (s.nullable && !s.type && !s.$ref) problems.push(`${where}: nullable without a type`);
    }
    expect(problems).toEqual([]);

    const me = doc.components.schemas.UserView as { properties: Record<string, Schema>; required: string[] };
    expect(me.properties.phone).toMatchObject({ type: 'string', nullable: true });
    expect(me.properties.identityVerifiedAt).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    expect(me.required).toEqual(expect.arrayContaining(['phone', 'email', 'agencyCode']));
  });

  it('has an operation of its own, with its body schema, for each workflow action in ACTION_BODIES', () => {
    for (const [action, body] of Object.entries(ACTION_BODIES)) {
      const op = doc.paths[`/api/v1/dossiers/{idOrCode}/actions/${action}`]?.post;
      expect({ action, operationId: op?.operationId, body: op?.requestBody?.content['application/json'].schema }).toEqual({
        action,
        operationId: actionOperationId(action),
        body: { $ref: `#/components/schemas/${body.name}` },
      });
      expect(op.responses['200'].content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/DossierDetailView' });
    }
  });

  it('generates a typed client that type-checks and takes a dossier through its whole life', async () => {
    // Types with openapi-typescript; the program (test/openapi-client/dossier-life.ts) beside them.
    await sh(process.execPath, ['dist/scripts/openapi-types.js', docFile, path.join(WORK, 'api.ts')]);
    const program = path.join(WORK, 'dossier-life.ts');
    copyFileSync(path.join(ROOT, 'test', 'openapi-client', 'dossier-life.ts'), program);
    writeFileSync(
      path.join(WORK, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['ES2023'],
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        files: ['api.ts', 'dossier-life.ts'],
      }),
    );
    // tsc --noEmit on the generated types and the program (its @ts-expect-error lines must all be errors).
    await sh(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(WORK, 'tsconfig.json')]);
    const js = ts.transpileModule(readFileSync(program, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023 },
    }).outputText;
    writeFileSync(path.join(WORK, 'dossier-life.js'), js);

    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    const citizen = await registerCitizen(t);
    writeFileSync(path.join(WORK, 'sample.pdf'), pdfBytes('openapi-client'));
    const out = await sh(process.execPath, [path.join(WORK, 'dossier-life.js')], {
      BASE_URL: `http://127.0.0.1:${port}`,
      DEMO_PASSWORD: 'Demo@2026',
      CITIZEN_TOKEN: citizen.token,
      CITIZEN_ID_NUMBER: citizen.idNumber,
      PDF_PATH: path.join(WORK, 'sample.pdf'),
    });
    const life = JSON.parse(out) as {
      code: string;
      steps: Array<{ step: string; status: string; statusCode: number; version: number; stepIndex: number | null }>;
      acceptedAllowed: string[];
      conflict: { statusCode: number; code: string; details: Record<string, unknown> } | null;
      approvedResult: Record<string, unknown>;
      signature: Record<string, unknown>;
      returned: Record<string, unknown>;
      finalAllowedActions: unknown[];
      citizenSees: Record<string, unknown>;
      lookup: Record<string, unknown>;
      history: { integrity: string; types: string[] };
      answers: Array<{ method: string; schemaPath: string; status: number; body: unknown }>;
    };
    // Every answer the client got matches the document's schema for it (required fields, nulls, formats).
    expect(life.answers.length).toBeGreaterThan(15);
    const check = answerChecker(doc);
    expect(check(life.answers)).toEqual([]);
    // …and the check is a real one: a date that is a number, or a required field missing, is caught.
    const seen = life.answers.find((a) => a.schemaPath === '/api/v1/dossiers/{idOrCode}' && a.status === 200)!;
    const { version: _dropped, ...withoutVersion } = seen.body as Record<string, unknown>;
    expect(
      check([
        { ...seen, body: { ...(seen.body as object), receivedAt: 5 } },
        { ...seen, body: withoutVersion },
      ]),
    ).toEqual([expect.stringContaining('receivedAt'), expect.stringContaining('version')]);
    expect(life.steps.map((s) => [s.step, s.status, s.statusCode, s.stepIndex])).toEqual([
      ['submitDossier', 'SUBMITTED', 1, null],
      ['acceptDossier', 'RECEIVED', 2, 0],
      ['assignDossier', 'IN_PROGRESS', 4, 1],
      ['forwardDossier', 'IN_PROGRESS', 4, 2],
      ['approveDossier', 'RESOLVED', 9, 2],
      ['returnDossier', 'RETURNED', 10, 2],
    ]);
    const versions = life.steps.map((s) => s.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(life.conflict).toMatchObject({ statusCode: 409, code: 'DOSSIER_VERSION_CONFLICT', details: { currentVersion: life.steps[0].version } });
    expect(life.acceptedAllowed).toContain('assign');
    expect(life.approvedResult).toMatchObject({ outcome: 'GRANTED', timeliness: 'EARLY' });
    expect(life.signature).toMatchObject({ status: 'SIGNED', indication: 'TOTAL_PASSED' });
    expect(life.returned).toMatchObject({ method: 'COUNTER' });
    expect(life.finalAllowedActions).toEqual([]);
    expect(life.citizenSees).toMatchObject({ status: 'RETURNED' });
    expect(life.lookup).toMatchObject({ status: 'RETURNED' });
    expect(life.history.integrity).toBe('VALID');
    expect(life.history.types[0]).toBe('SUBMITTED');

    // What the client did is what the database holds: one history event per change, in order.
    const stored = await t.db.query('SELECT status, version FROM dossiers WHERE code = $1', [life.code]);
    expect(stored.rows).toEqual([{ status: 'RETURNED', version: versions[versions.length - 1] }]);
  }, 180_000);
});
