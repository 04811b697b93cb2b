/**
 * A client program written only against the types that openapi-typescript generates from our
 * OpenAPI document (`./api.js`, generated next to this file by test/openapi.e2e-spec.ts): it logs
 * in with the demo accounts, files a birth registration as a citizen and takes it through
 * acceptance, hand-over, approval, signing and return with openapi-fetch, then prints what it saw
 * as JSON. The test type-checks it (tsc --noEmit, strict) before running it, so a document that
 * types a field wrongly, or a body that the document does not describe, fails the test.
 *
 * Not compiled with the project (tsconfig.json excludes this folder): its import exists only once
 * the test has generated it. Input from the environment: BASE_URL, DEMO_PASSWORD, CITIZEN_TOKEN,
 * CITIZEN_ID_NUMBER, PDF_PATH (a PDF to attach and to use as the result).
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './api.js';

type Api = Client<paths>;
type Dossier = components['schemas']['DossierDetailView'];
type ErrorBody = components['schemas']['ErrorResponse'];

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const baseUrl = env('BASE_URL');
const pdf = readFileSync(env('PDF_PATH'));
const BIRTH = '1.001193';
const HAC_THANH = '000.00.20.H56';

/** Every JSON answer the program got, for the test to validate against the document's schemas. */
const answers: Array<{ method: string; schemaPath: string; status: number; body: unknown }> = [];
const recordAnswers: Middleware = {
  async onResponse({ request, schemaPath, response }) {
    if (response.headers.get('content-type')?.startsWith('application/json')) {
      answers.push({ method: request.method.toLowerCase(), schemaPath, status: response.status, body: await response.clone().json() });
    }
  },
};

function client(token?: string): Api {
  const api = createClient<paths>({ baseUrl, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  api.use(recordAnswers);
  return api;
}

/** The data of a successful call, or an Error naming the operation and the error body. */
function ok<T>(what: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data === undefined) throw new Error(`${what}: HTTP ${r.response.status} ${JSON.stringify(r.error)}`);
  return r.data;
}

async function login(username: string): Promise<{ api: Api; id: string }> {
  const tokens = ok('login', await client().POST('/api/v1/auth/login', { body: { username, password: env('DEMO_PASSWORD') } }));
  const api = client(tokens.accessToken);
  const me = ok('getCurrentUser', await api.GET('/api/v1/auth/me'));
  return { api, id: me.id };
}

async function upload(api: Api, name: string): Promise<string> {
  const file = ok('uploadFile', await api.POST('/api/v1/files', {
    body: { file: new Blob([pdf], { type: 'application/pdf' }) },
    bodySerializer: (body) => {
      const form = new FormData();
      form.append('file', body.file, name);
      return form;
    },
  }));
  return file.id;
}

async function getDossier(api: Api, idOrCode: string): Promise<Dossier> {
  return ok('getDossier', await api.GET('/api/v1/dossiers/{idOrCode}', { params: { path: { idOrCode } } }));
}

async function main() {
  const citizen = client(env('CITIZEN_TOKEN'));
  const reception = await login('tiepnhan.hacthanh');
  const specialist = await login('chuyenvien.hacthanh');
  const leader = await login('lanhdao.hacthanh');
  const steps: Array<{ step: string; status: string; statusCode: number; version: number; stepIndex: number | null }> = [];
  const record = (step: string, d: Dossier) => {
    steps.push({ step, status: d.status, statusCode: d.statusCode, version: d.version, stepIndex: d.stepIndex });
    return d;
  };

  // File: the procedure's required components, each with the uploaded PDF.
  const procedure = ok('getProcedure', await client().GET('/api/v1/procedures/{code}', { params: { path: { code: BIRTH } } }));
  const fileId = await upload(citizen, 'to-khai.pdf');
  const filed = ok('submitDossier', await citizen.POST('/api/v1/dossiers', {
    params: { header: { 'Idempotency-Key': randomUUID() } },
    body: {
      procedureCode: BIRTH,
      agencyCode: HAC_THANH,
      resultDelivery: 'ONLINE',
      applicant: { fullName: 'Nguyễn Văn An', idNumber: env('CITIZEN_ID_NUMBER'), dateOfBirth: '1990-03-15', phone: '0912345678', address: 'Số 5 Lê Lợi, Thanh Hóa' },
      formData: { childName: 'Nguyễn Thị Mai', childDateOfBirth: '2026-11-01' },
      attachments: procedure.components.filter((c) => c.required).map((c) => ({ componentCode: c.code, fileId })),
    },
  }));
  const id = filed.id;
  record('submitDossier', await getDossier(citizen, id));
  const path = { idOrCode: id };

  // A stale version is refused with the error body the document describes.
  const stale = await reception.api.POST('/api/v1/dossiers/{idOrCode}/actions/accept', { params: { path }, body: { expectedVersion: filed.version + 5 } });
  const conflict: ErrorBody | undefined = stale.error;

  let d = record('acceptDossier', ok('acceptDossier', await reception.api.POST('/api/v1/dossiers/{idOrCode}/actions/accept', {
    params: { path }, body: { expectedVersion: filed.version, note: 'Đủ thành phần hồ sơ' },
  })));
  const acceptedAllowed = d.allowedActions.filter((a) => a.allowed).map((a) => a.action);
  d = record('assignDossier', ok('assignDossier', await reception.api.POST('/api/v1/dossiers/{idOrCode}/actions/assign', {
    params: { path }, body: { expectedVersion: d.version, assigneeId: specialist.id },
  })));
  d = record('forwardDossier', ok('forwardDossier', await specialist.api.POST('/api/v1/dossiers/{idOrCode}/actions/forward', {
    params: { path }, body: { expectedVersion: d.version, assigneeId: leader.id },
  })));
  const resultFileId = await upload(leader.api, 'trich-luc-khai-sinh.pdf');
  d = record('approveDossier', ok('approveDossier', await leader.api.POST('/api/v1/dossiers/{idOrCode}/actions/approve', {
    params: { path }, body: { expectedVersion: d.version, outcome: 'GRANTED', resultFileId },
  })));
  const approvedResult = d.result;

  // The result is signed (the leader's key) and verified by the worker before it may be returned.
  for (let attempt = 0; ; attempt++) {
    d = await getDossier(reception.api, id);
    const signature = d.result?.signature;
    if (signature?.status === 'SIGNED' && signature.indication) break;
    if (attempt > 600) throw new Error(`the result was not signed: ${JSON.stringify(d.result)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const signature = d.result?.signature ?? null;
  d = record('returnDossier', ok('returnDossier', await reception.api.POST('/api/v1/dossiers/{idOrCode}/actions/return', {
    params: { path }, body: { expectedVersion: d.version, method: 'COUNTER', originalsChecked: true },
  })));

  const history = ok('getDossierHistory', await citizen.GET('/api/v1/dossiers/{idOrCode}/events', { params: { path } }));
  const seenByCitizen = await getDossier(citizen, filed.code);
  const lookup = ok('lookUpDossier', await client().GET('/api/v1/public/dossiers/{code}', { params: { path: { code: filed.code } } }));
  process.stdout.write(`${JSON.stringify({
    code: filed.code,
    steps,
    acceptedAllowed,
    conflict: conflict ? { statusCode: conflict.statusCode, code: conflict.code, details: conflict.details } : null,
    approvedResult,
    signature,
    returned: d.returned,
    finalAllowedActions: d.allowedActions,
    citizenSees: { status: seenByCitizen.status, statusLabel: seenByCitizen.statusLabel },
    lookup: { status: lookup.status },
    history: { integrity: history.integrity, types: history.events.map((e) => e.type) },
    answers,
  })}\n`);
}

/**
 * Never called: each line is a mistake the generated types must refuse (an unused
 * `@ts-expect-error` fails the type check, so a type that became `any` or optional is caught).
 */
export async function mistakesTheTypesCatch(api: Api, me: components['schemas']['UserView']): Promise<void> {
  // @ts-expect-error: an action that does not exist has no route
  await api.POST('/api/v1/dossiers/{idOrCode}/actions/teleport', { params: { path: { idOrCode: 'x' } }, body: { expectedVersion: 1 } });
  // @ts-expect-error: every action body carries expectedVersion
  await api.POST('/api/v1/dossiers/{idOrCode}/actions/accept', { params: { path: { idOrCode: 'x' } }, body: { note: 'n' } });
  // @ts-expect-error: approve's outcome is GRANTED or DENIED
  await api.POST('/api/v1/dossiers/{idOrCode}/actions/approve', { params: { path: { idOrCode: 'x' } }, body: { expectedVersion: 1, outcome: 'MAYBE' } });
  // @ts-expect-error: refuse needs its reasons
  await api.POST('/api/v1/dossiers/{idOrCode}/actions/refuse', { params: { path: { idOrCode: 'x' } }, body: { expectedVersion: 1 } });
  // @ts-expect-error: filing needs its Idempotency-Key header
  await api.POST('/api/v1/dossiers', { body: { procedureCode: BIRTH, agencyCode: HAC_THANH, resultDelivery: 'ONLINE', applicant: { fullName: 'A', idNumber: '1', phone: '0912345678', address: 'B' }, attachments: [] } });
  // @ts-expect-error: GET /auth/me's phone is a nullable string, not an object and not always a string
  const phone: string = me.phone;
  const phoneOrNull: string | null = me.phone;
  // @ts-expect-error: the dossier's deadline may be null
  const due: string | null = (await getDossier(api, 'x')).deadline.dueAt;
  void phone; void phoneOrNull; void due;
  // Fields that have a default may be left out (no @ts-expect-error: these must type-check).
  await api.POST('/api/v1/dossiers/{idOrCode}/actions/request-payment', { params: { path: { idOrCode: 'x' } }, body: { expectedVersion: 1, amountVnd: 8000, description: 'Lệ phí' } });
  await api.POST('/api/v1/dossiers/{idOrCode}/actions/confirm-payment', { params: { path: { idOrCode: 'x' } }, body: { expectedVersion: 1 } });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
