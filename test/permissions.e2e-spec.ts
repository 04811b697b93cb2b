import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ACTION_BODIES } from '../src/dossiers/workflow/action-bodies.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Who may call what. Every route and its access, read from the OpenAPI document that the guards'
 * own decorators produce: a change to this list is a change in who can reach what, and must be
 * made here on purpose. (Routes open to "any caller" still check per dossier who may see it.)
 */
const EXPECTED: Record<string, string> = {
  'DELETE /api/v1/admin/api-keys/{id}': 'ADMIN',
  'DELETE /api/v1/admin/trust-anchors/{id}': 'ADMIN',
  'DELETE /api/v1/calendar/days/{date}': 'ADMIN',
  'GET /api/v1/admin/api-keys': 'ADMIN',
  'GET /api/v1/admin/notifications/deliveries': 'ADMIN',
  'GET /api/v1/admin/receipts/daily': 'ADMIN',
  'GET /api/v1/admin/sync': 'ADMIN',
  'GET /api/v1/admin/sync/{dossierId}/pushes': 'ADMIN',
  'GET /api/v1/admin/trust-anchors': 'ADMIN',
  'GET /api/v1/agencies': 'public',
  'GET /api/v1/agencies/{code}': 'public',
  'GET /api/v1/agencies/{code}/forms/07': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'GET /api/v1/agencies/{code}/register': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'GET /api/v1/auth/me': 'any caller',
  'GET /api/v1/auth/oidc/authorize': 'public',
  'GET /api/v1/auth/oidc/callback': 'public',
  'GET /api/v1/calendar/days': 'public',
  'GET /api/v1/calendar/due-date': 'public',
  'GET /api/v1/dossiers': 'CITIZEN, RECEPTION_OFFICER, SPECIALIST, LEADER, INTEGRATOR',
  'GET /api/v1/dossiers/{idOrCode}': 'any caller',
  'GET /api/v1/dossiers/{idOrCode}/applicant-documents': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'GET /api/v1/dossiers/{idOrCode}/events': 'any caller',
  'GET /api/v1/dossiers/{idOrCode}/forms/{number}': 'any caller',
  'GET /api/v1/dossiers/{idOrCode}/payments': 'any caller',
  'GET /api/v1/dossiers/{idOrCode}/receipts': 'any caller',
  'GET /api/v1/files/{id}': 'any caller',
  'GET /api/v1/files/{id}/content': 'any caller',
  'GET /api/v1/files/{id}/signatures': 'any caller',
  'GET /api/v1/me/documents': 'CITIZEN',
  'GET /api/v1/me/procedures/{code}/reusable': 'CITIZEN',
  'GET /api/v1/notifications': 'any caller',
  'GET /api/v1/payments/{id}/vietqr': 'any caller',
  'GET /api/v1/procedures': 'public',
  'GET /api/v1/procedures/{code}': 'public',
  'GET /api/v1/procedures/{code}/versions/{version}': 'public',
  'GET /api/v1/public/crls/{file}': 'public',
  'GET /api/v1/public/dossiers/{code}': 'public',
  'GET /api/v1/public/reports/indicators': 'public',
  'GET /api/v1/queues/{name}': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'GET /api/v1/receipts/{id}/pdf': 'any caller',
  'GET /api/v1/reports/indicators': 'RECEPTION_OFFICER, SPECIALIST, LEADER, ADMIN',
  'GET /api/v1/reports/indicators/export': 'RECEPTION_OFFICER, SPECIALIST, LEADER, ADMIN',
  'GET /api/v1/reports/series': 'RECEPTION_OFFICER, SPECIALIST, LEADER, ADMIN',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
  'PATCH /api/v1/admin/agencies/{code}': 'ADMIN',
  'PATCH /api/v1/admin/procedures/{code}': 'ADMIN',
  'POST /api/v1/admin/agencies': 'ADMIN',
  'POST /api/v1/admin/api-keys': 'ADMIN',
  'POST /api/v1/admin/payments/reconcile': 'ADMIN',
  'POST /api/v1/admin/procedures': 'ADMIN',
  'POST /api/v1/admin/queues/session': 'ADMIN',
  'POST /api/v1/admin/sync/reconcile': 'ADMIN',
  'POST /api/v1/admin/sync/{dossierId}/repush': 'ADMIN',
  'POST /api/v1/admin/trust-anchors': 'ADMIN',
  'POST /api/v1/admin/users': 'ADMIN',
  'POST /api/v1/auth/citizens/register': 'public',
  'POST /api/v1/auth/identity-checks': 'RECEPTION_OFFICER, ADMIN',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'public',
  'POST /api/v1/auth/me/link-password-account': 'CITIZEN',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/dossiers': 'CITIZEN, INTEGRATOR, RECEPTION_OFFICER',
  'POST /api/v1/dossiers/{idOrCode}/actions/{action}': 'any caller',
  'POST /api/v1/dossiers/{idOrCode}/payments': 'CITIZEN, INTEGRATOR',
  'POST /api/v1/files': 'any caller',
  'POST /api/v1/files/{id}/signatures/verify': 'any caller',
  'POST /api/v1/payments/bank-statements': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'POST /api/v1/payments/callbacks/paygov': 'public',
  'POST /api/v1/payments/{id}/bank-transfer': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'POST /api/v1/payments/{id}/cancel': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'POST /api/v1/payments/{id}/counter': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'POST /api/v1/payments/{id}/online': 'any caller',
  'POST /api/v1/payments/{id}/refund': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'POST /api/v1/signing/callbacks': 'public',
  // Webhooks: integrators (scope webhooks:manage) and admins; the host allow-list is the admins'.
  'GET /api/v1/webhooks': 'ADMIN, INTEGRATOR',
  'POST /api/v1/webhooks': 'ADMIN, INTEGRATOR',
  'GET /api/v1/webhooks/topics': 'ADMIN, INTEGRATOR',
  'GET /api/v1/webhooks/{id}': 'ADMIN, INTEGRATOR',
  'PATCH /api/v1/webhooks/{id}': 'ADMIN, INTEGRATOR',
  'DELETE /api/v1/webhooks/{id}': 'ADMIN, INTEGRATOR',
  'GET /api/v1/webhooks/{id}/deliveries': 'ADMIN, INTEGRATOR',
  'POST /api/v1/webhooks/{id}/enable': 'ADMIN, INTEGRATOR',
  'POST /api/v1/webhooks/{id}/replay': 'ADMIN, INTEGRATOR',
  'POST /api/v1/webhooks/{id}/rotate-secret': 'ADMIN, INTEGRATOR',
  'GET /api/v1/admin/webhook-allowances': 'ADMIN',
  'POST /api/v1/admin/webhook-allowances': 'ADMIN',
  'DELETE /api/v1/admin/webhook-allowances/{id}': 'ADMIN',
  // Ratings and complaints (src/ratings/): the owner writes; the owner and the dossier's staff read.
  'GET /api/v1/dossiers/{idOrCode}/rating': 'CITIZEN, RECEPTION_OFFICER, SPECIALIST, LEADER',
  'POST /api/v1/dossiers/{idOrCode}/rating': 'CITIZEN',
  'POST /api/v1/dossiers/{idOrCode}/rating/corrections': 'CITIZEN',
  'GET /api/v1/dossiers/{idOrCode}/complaints': 'CITIZEN, RECEPTION_OFFICER, SPECIALIST, LEADER',
  'POST /api/v1/dossiers/{idOrCode}/complaints': 'CITIZEN',
  // The person's data store (src/dossiers/store/): consents and the access log are the verified
  // citizen's; staff read a store under consent; a centre's alerts are its leaders'.
  'POST /api/v1/me/documents/share-codes': 'CITIZEN',
  'GET /api/v1/me/documents/share-codes': 'CITIZEN',
  'DELETE /api/v1/me/documents/share-codes/{id}': 'CITIZEN',
  'GET /api/v1/me/documents/access-log': 'CITIZEN',
  'GET /api/v1/store/shared-documents': 'RECEPTION_OFFICER, SPECIALIST, LEADER',
  'GET /api/v1/agencies/{code}/store-alerts': 'LEADER, ADMIN',
  'PUT /api/v1/admin/agencies/{code}/procedures': 'ADMIN',
  'PUT /api/v1/admin/fee-collectors/{agencyCode}': 'ADMIN',
  'PUT /api/v1/calendar/days/{date}': 'ADMIN',
  // One route per workflow action (generated from ACTION_BODIES), each open to any caller at the
  // route: who may take which action is the transition table's, checked per dossier
  // (src/dossiers/workflow/transitions.ts and its tests).
  ...Object.fromEntries(Object.keys(ACTION_BODIES).map((a) => [`POST /api/v1/dossiers/{idOrCode}/actions/${a}`, 'any caller'])),
};

describe('route permissions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ startup: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('match the reviewed list', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const actual: Record<string, string> = {};
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const roles = op['x-roles'] as string[] | undefined;
        actual[`${method.toUpperCase()} ${path}`] = op['x-public'] ? 'public' : roles?.length ? roles.join(', ') : 'any caller';
      }
    }
    const sorted = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
    expect(sorted(actual)).toEqual(sorted(EXPECTED));
  });
});
