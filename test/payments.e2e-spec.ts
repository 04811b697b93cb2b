import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManualClock, vietnamDate } from '../src/common/clock.js';
import { startPaygovTestGateway, type PaygovTestGateway } from '../src/payments/testing/paygov-test-gateway.js';
import { paygovTime } from '../src/payments/paygov/paygov-adapter.js';
import { PaymentProvider } from '../src/payments/payment-provider.js';
import { PaymentsService } from '../src/payments/payments.service.js';
import { PaymentPortalFees } from '../src/payments/portal-fees.js';
import { login, registerCitizen } from './support/auth.js';
import { act, fileDossier, HAC_THANH, waitFor } from './support/dossiers.js';
import { demoCaKey, toPkcs12 } from './support/pki.js';
import { uploadPdf } from './support/files.js';
import { PortalStandIn } from './support/portal-standin.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const DEMO = 'Demo@2026';
const HOUSEHOLD_BUSINESS = '1.001612'; // lệ phí 150.000 đ online, collected with the submission
const BIRTH = '1.001193'; // no fee: a variable amount is requested by the officer
const SECRET = 'paygov-test-secret-0123456789';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function paymentsApp(gw: PaygovTestGateway, clock?: ManualClock, portal?: PortalStandIn): Promise<TestApp> {
  const port = await freePort();
  const t = await createTestApp({
    clock,
    // The reconciliation job runs only when a test runs a pass (PaymentsService.reconcile), so what a pass did is the test's to see.
    env: {
      SEED_DEMO: 'true',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      PAYGOV_URL: gw.url,
      PAYGOV_PARTNER_CODE: gw.partnerCode,
      PAYGOV_SECRET: SECRET,
      PAYMENT_QUERY_AFTER_MS: '0',
      PAYMENT_RECONCILE_MS: '3600000',
      SIGNING_KEYS_PASSWORD: 'receipt-key-pass',
      ...portal?.env(),
    },
  });
  await t.app.listen(port, '127.0.0.1');
  return t;
}

describe('fees and online payment', () => {
  let gw: PaygovTestGateway;
  let t: TestApp;
  const portal = new PortalStandIn();
  let citizen: { idNumber: string; token: string; id: string };
  let fileId: string | undefined;
  const tok: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tok[who] ?? citizen.token}` });

  beforeAll(async () => {
    gw = await startPaygovTestGateway({ secret: SECRET });
    await portal.start();
    t = await paymentsApp(gw, undefined, portal);
    citizen = await registerCitizen(t);
    for (const name of ['tiepnhan.hacthanh', 'chuyenvien.hacthanh', 'lanhdao.hacthanh']) tok[name] = await login(t, name, DEMO);
    tok.admin = await login(t, 'admin', 'MotCua@2026');
    // The commune's receipt settings, and its signing key for receipts (the local signing capability's PKCS#12).
    await t
      .http()
      .put(`/api/v1/admin/fee-collectors/${HAC_THANH}`)
      .set(auth('admin'))
      .send({
        taxCode: '2801234567',
        seriesPrefix: 'HT',
        vietqrBankBin: '970415',
        vietqrAccountNo: '113366668888',
        treasuryCode: '1211',
        beneficiaryAccount: '3511.0.1234567',
      })
      .expect(200);
    // The demo start-up gave the commune a seal of the demo CA for its receipts; the test puts its own in its place.
    expect(existsSync(path.join(t.config.signing.keysDir, `agency-${HAC_THANH.toLowerCase()}.p12`))).toBe(true);
    const key = await demoCaKey(t.config, { commonName: 'Ủy ban nhân dân phường Hạc Thành' });
    mkdirSync(t.config.signing.keysDir, { recursive: true });
    writeFileSync(path.join(t.config.signing.keysDir, `agency-${HAC_THANH.toLowerCase()}.p12`), toPkcs12(key, 'receipt-key-pass'));
  });
  afterAll(async () => {
    await t?.close();
    await gw?.close();
    await portal.close();
  });

  /** Files a household-business dossier and opens its submission fee online: the request and the gateway's order. */
  async function submittedAndInitiated(): Promise<{ dossierId: string; paymentId: string; reference: string }> {
    fileId ??= await uploadPdf(t, { token: citizen.token });
    const d = await fileDossier(t, citizen, { procedureCode: HOUSEHOLD_BUSINESS, fileId });
    const p = (await t.http().post(`/api/v1/dossiers/${d.id}/payments`).set(auth('citizen')).send({}).expect(201)).body;
    const online = (await t.http().post(`/api/v1/payments/${p.id}/online`).set(auth('citizen')).expect(200)).body;
    expect(online.paymentUrl).toContain(gw.url);
    return { dossierId: d.id, paymentId: p.id, reference: p.reference };
  }
  const payment = async (id: string) => (await t.db.query(`SELECT * FROM payment_requests WHERE id = $1`, [id])).rows[0];
  const receiptsOf = async (dossierId: string) => (await t.db.query(`SELECT * FROM receipts WHERE dossier_id = $1`, [dossierId])).rows;
  const eventTypes = async (dossierId: string) =>
    (await t.db.query(`SELECT type FROM dossier_events WHERE dossier_id = $1 ORDER BY seq`, [dossierId])).rows.map((r) => r.type);
  const outboxFor = async (paymentId: string) =>
    (await t.db.query(`SELECT topic FROM outbox WHERE payload->>'paymentRequestId' = $1 ORDER BY id`, [paymentId])).rows.map((r) => r.topic);
  const toReceive = async () =>
    (await t.http().get('/api/v1/queues/to-receive?limit=200').set(auth('tiepnhan.hacthanh')).expect(200)).body.items.map((i: { id: string }) => i.id);

  it("carries the demo procedures' real fee lines, with kind, collection point, channels and exemptions", async () => {
    const hb = (await t.http().get(`/api/v1/procedures/${HOUSEHOLD_BUSINESS}`).expect(200)).body;
    expect(hb.fees[0]).toMatchObject({ code: 'LP01', kind: 'LE_PHI', amountVnd: 150000, collectAt: 'AT_SUBMISSION', channels: ['ONLINE', 'POSTAL'] });
    const status = (await t.http().get('/api/v1/procedures/1.004873').expect(200)).body; // certificate of marital status
    expect(status.fees[0].exemptCategories).toEqual(['NGUOI_CO_CONG', 'HO_NGHEO', 'NGUOI_KHUYET_TAT']);
  });

  it('keeps a dossier whose fee is due with the submission away from the one-stop until the platform says paid', async () => {
    const { dossierId, paymentId, reference } = await submittedAndInitiated();
    expect(await toReceive()).not.toContain(dossierId);
    const refused = await act(t, tok['tiepnhan.hacthanh'], dossierId, 'accept');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SUBMISSION_FEE_UNPAID');

    const [answer] = await gw.complete(reference, { kind: 'pay' });
    expect(answer.body).toEqual({ errorCode: '00', message: 'Confirm Success' });
    expect(await payment(paymentId)).toMatchObject({ status: 'PAID', method: 'PAYGOV', amount_vnd: '150000' });
    const [receipt] = await receiptsOf(dossierId);
    expect(receipt).toMatchObject({ series: 'HT-26E', tax_code: '2801234567', amount_in_words: 'Một trăm năm mươi nghìn đồng', method: 'PAYGOV' });
    expect(await toReceive()).toContain(dossierId);
    // Past the fee, the one-stop's other checks apply (here: the forms' signatures).
    expect((await act(t, tok['tiepnhan.hacthanh'], dossierId, 'accept')).body.code).toBe('SIGNATURE_REQUIRED');
    expect(await eventTypes(dossierId)).toEqual(['SUBMITTED', 'PAYMENT_REQUESTED', 'PAYMENT_PAID']);
    expect(await outboxFor(paymentId)).toEqual(['payment.requested', 'payment.paid']);
    // Integrators subscribed to payment.paid hear of it through an integration event (webhooks).
    const told = await waitFor(
      async () => (await t.db.query(`SELECT data FROM integration_events WHERE type = 'payment.paid' AND dossier_id = $1`, [dossierId])).rows[0],
      'the payment.paid integration event',
    );
    expect(told.data).toMatchObject({ paymentRequestId: paymentId, amountVnd: 150000, method: 'PAYGOV', receipt: { number: receipt.number } });

    const shown = (await t.http().get(`/api/v1/dossiers/${dossierId}/payments`).set(auth('citizen')).expect(200)).body;
    expect(shown).toMatchObject({ paidVnd: 150000, pendingVnd: 0, payments: [{ status: 'PAID', method: 'PAYGOV' }], receipts: [{ number: receipt.number }] });
    // The dossier itself shows the same: its fee lines, what is paid and how, and the receipt.
    const detail = (await t.http().get(`/api/v1/dossiers/${dossierId}`).set(auth('citizen')).expect(200)).body;
    expect(detail.fees).toEqual(shown);
    expect((await t.http().get(`/api/v1/dossiers/${dossierId}/receipts`).set(auth('tiepnhan.hacthanh')).expect(200)).body).toHaveLength(1);
  });

  it('refuses a forged callback, and a replayed one gives no second receipt', async () => {
    const { dossierId, paymentId, reference } = await submittedAndInitiated();
    const forged = await gw.callback(reference, { transactionId: 'PGFORGED42' }, { secret: 'not-the-shared-secret' });
    expect(forged.body).toEqual({ errorCode: '97', message: 'Invalid checksum', code: 'PAYMENT_CALLBACK_BAD_SIGNATURE' });
    expect(await payment(paymentId)).toMatchObject({ status: 'PENDING' });
    const junk = await t.http().post('/api/v1/payments/callbacks/paygov').send({ orderId: reference, hello: 1 }).expect(200);
    expect(junk.body).toMatchObject({ errorCode: '99', code: 'PAYMENT_CALLBACK_MALFORMED' });

    await gw.complete(reference, { kind: 'pay' });
    const txn = (await payment(paymentId)).provider_transaction_id;
    const replay = await gw.callback(reference, { transactionId: txn });
    expect(replay.body).toEqual({ errorCode: '00', message: 'Order already confirmed' });
    expect(await receiptsOf(dossierId)).toHaveLength(1);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM payment_transactions WHERE reference = $1`, [reference])).rows[0].n).toBe(1);
  });

  it('records a failed payment and keeps the request payable', async () => {
    const { dossierId, paymentId, reference } = await submittedAndInitiated();
    const [failed] = await gw.complete(reference, { kind: 'fail' });
    expect(failed.body.errorCode).toBe('00');
    expect(await payment(paymentId)).toMatchObject({ status: 'PENDING' });
    expect(await eventTypes(dossierId)).toContain('PAYMENT_FAILED');
    await gw.complete(reference, { kind: 'pay' });
    expect(await payment(paymentId)).toMatchObject({ status: 'PAID' });
    expect(await receiptsOf(dossierId)).toHaveLength(1);
  });

  it('refuses and flags an amount other than the one asked', async () => {
    const { dossierId, paymentId, reference } = await submittedAndInitiated();
    const [answer] = await gw.complete(reference, { kind: 'change-amount', amountVnd: 15000 });
    expect(answer.body).toEqual({ errorCode: '04', message: 'Invalid amount', code: 'PAYMENT_CALLBACK_AMOUNT_MISMATCH' });
    expect(await payment(paymentId)).toMatchObject({ status: 'PENDING', flag: 'AMOUNT_MISMATCH' });
    expect(await receiptsOf(dossierId)).toHaveLength(0);
    expect(await outboxFor(paymentId)).toContain('payment.flagged');
    expect(await toReceive()).not.toContain(dossierId);
  });

  it('paid twice: one receipt, the second payment flagged, and refunded through the platform', async () => {
    const { dossierId, paymentId, reference } = await submittedAndInitiated();
    const answers = await gw.complete(reference, { kind: 'pay-twice' });
    expect(answers.map((a) => a.body.errorCode)).toEqual(['00', '00']);
    expect(await payment(paymentId)).toMatchObject({ status: 'PAID', flag: 'PAID_TWICE' });
    expect(await receiptsOf(dossierId)).toHaveLength(1);
    const refunded = await t
      .http()
      .post(`/api/v1/payments/${paymentId}/refund`)
      .set(auth('tiepnhan.hacthanh'))
      .send({ reason: 'Nộp trùng hai lần' })
      .expect(200);
    expect(refunded.body.status).toBe('REFUNDED');
    expect(gw.orders().find((o) => o.orderId === reference)!.refunds).toHaveLength(1);
    expect(await outboxFor(paymentId)).toContain('payment.refunded');
  });

  it('decides on signed fields only: an unsigned field beside a signed callback blocks nothing, and a failure never blocks a later success', async () => {
    // The attack: the genuine "paid" callback, copied with an unsigned `status: FAILED` beside its
    // signed fields and sent first. Before, it was recorded as a failure under the real transaction
    // id, and the genuine callback that followed was ignored as a replay.
    const { dossierId, paymentId, reference } = await submittedAndInitiated();
    await gw.complete(reference, { kind: 'never-call-back' }); // paid at the platform; the callback is in flight
    const txn = gw.orders().find((o) => o.orderId === reference)!.transactionId!;
    const tampered = await gw.callback(reference, { transactionId: txn }, { unsigned: { status: 'FAILED' } });
    expect(tampered.body.errorCode).toBe('00');
    const genuine = await gw.callback(reference, { transactionId: txn });
    expect(genuine.body).toEqual({ errorCode: '00', message: 'Order already confirmed' });
    expect(await payment(paymentId)).toMatchObject({ status: 'PAID', provider_transaction_id: txn });
    expect(await receiptsOf(dossierId)).toHaveLength(1);
    expect(await eventTypes(dossierId)).not.toContain('PAYMENT_FAILED');
    // What is kept is the signed part, naming what was ignored.
    const [kept] = (await t.db.query(`SELECT outcome, message FROM payment_transactions WHERE reference = $1`, [reference])).rows;
    expect(kept.outcome).toBe('APPLIED');
    expect(kept.message).toMatchObject({ errorCode: '00', transactionId: txn, unsignedIgnored: ['status'] });
    expect(kept.message).not.toHaveProperty('status');

    // Nor does an unsigned `status: PAID` make a signed failure a payment; and the platform's genuine
    // failure of a transaction, then its success (same transaction id), ends paid.
    const second = await submittedAndInitiated();
    const failed = await gw.callback(second.reference, { transactionId: 'PGRETRY1', errorCode: '24' }, { unsigned: { status: 'PAID' } });
    expect(failed.body).toEqual({ errorCode: '00', message: 'Confirm Success' });
    expect(await payment(second.paymentId)).toMatchObject({ status: 'PENDING' });
    expect(await eventTypes(second.dossierId)).toContain('PAYMENT_FAILED');
    expect((await gw.callback(second.reference, { transactionId: 'PGRETRY1', errorCode: '24' })).body).toEqual({
      errorCode: '00',
      message: 'Order already confirmed',
    });
    expect((await gw.callback(second.reference, { transactionId: 'PGRETRY1' })).body).toEqual({ errorCode: '00', message: 'Confirm Success' });
    expect(await payment(second.paymentId)).toMatchObject({ status: 'PAID', provider_transaction_id: 'PGRETRY1' });
    expect((await eventTypes(second.dossierId)).filter((e) => e === 'PAYMENT_FAILED')).toHaveLength(1);
    expect(await receiptsOf(second.dossierId)).toHaveLength(1);
  });

  it('refuses a callback whose signed time is outside the window (15 minutes by default), and takes the next genuine one', async () => {
    const { dossierId, paymentId, reference } = await submittedAndInitiated();
    await gw.complete(reference, { kind: 'never-call-back' });
    const minutes = (n: number) => new Date(Date.now() + n * 60_000);
    for (const sentAt of [minutes(-16), minutes(16)]) {
      const refused = await gw.callback(reference, { sentAt });
      expect(refused.body).toEqual({ errorCode: '94', message: 'Request time outside the accepted window', code: 'PAYMENT_CALLBACK_STALE' });
    }
    // Refused before anything is kept, so it holds nothing against the genuine message.
    expect(await payment(paymentId)).toMatchObject({ status: 'PENDING' });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM payment_transactions WHERE reference = $1`, [reference])).rows[0].n).toBe(0);
    // Its send time signed: a stale copy cannot be freshened by changing the time.
    const stale = await gw.callback(reference, { sentAt: minutes(-30) }, { unsigned: { requestTime: paygovTime(new Date()) } });
    expect(stale.body.code).toBe('PAYMENT_CALLBACK_BAD_SIGNATURE');
    // A platform retry ten minutes after the payment is inside the window.
    expect((await gw.callback(reference, { sentAt: minutes(-10) })).body).toEqual({ errorCode: '00', message: 'Confirm Success' });
    expect(await payment(paymentId)).toMatchObject({ status: 'PAID' });
    expect(await receiptsOf(dossierId)).toHaveLength(1);
    expect(t.config.payments.callbackWindowMs).toBe(15 * 60_000);
  });

  /** A household-business submission fee paid online at the platform. */
  async function paidOnline(): Promise<{ dossierId: string; paymentId: string; reference: string }> {
    const paid = await submittedAndInitiated();
    await gw.complete(paid.reference, { kind: 'pay' });
    expect(await payment(paid.paymentId)).toMatchObject({ status: 'PAID' });
    return paid;
  }
  const refund = (paymentId: string) =>
    t.http().post(`/api/v1/payments/${paymentId}/refund`).set(auth('tiepnhan.hacthanh')).send({ reason: 'Hoàn phí nộp nhầm' });
  const refundsAt = (reference: string) => gw.refunds().filter((r) => r.orderId === reference);
  const countOf = (types: string[], type: string) => types.filter((x) => x === type).length;

  it('sends 20 parallel refunds of one payment to the platform exactly once', async () => {
    const { dossierId, paymentId, reference } = await paidOnline();
    const callsBefore = gw.refundCalls();
    const answers = await Promise.all(Array.from({ length: 20 }, () => refund(paymentId)));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    expect(ok[0].body).toMatchObject({ status: 'REFUNDED', refundAttempts: 1, refundError: null });
    // The others: a clear 409, the refund in progress or already made.
    const others = answers.filter((a) => a.status !== 200);
    expect(others.map((a) => a.status)).toEqual(Array(19).fill(409));
    for (const a of others) expect(['REFUND_IN_PROGRESS', 'NOT_PAID']).toContain(a.body.code);
    // The platform saw one refund request and made one refund, keyed by the refund id we stored.
    expect(gw.refundCalls() - callsBefore).toBe(1);
    const [made, ...more] = refundsAt(reference);
    expect(more).toEqual([]);
    const row = await payment(paymentId);
    expect(row).toMatchObject({ status: 'REFUNDED', refund_id: made.partnerRefundId, provider_refund_id: made.refundId, close_reason: 'Hoàn phí nộp nhầm' });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM payment_transactions WHERE reference = $1 AND via = 'REFUND'`, [reference])).rows[0].n).toBe(1);
    const events = await eventTypes(dossierId);
    expect([countOf(events, 'PAYMENT_REFUND_REQUESTED'), countOf(events, 'PAYMENT_REFUNDED')]).toEqual([1, 1]);
    const topics = await outboxFor(paymentId);
    expect([countOf(topics, 'payment.refund-requested'), countOf(topics, 'payment.refunded')]).toEqual([1, 1]);
    expect((await refund(paymentId)).body.code).toBe('NOT_PAID');

    // The stand-in refuses a second refund of the transaction as a real platform would, and answers
    // the same refund to the same refund id (the idempotency key).
    const platform = t.app.get(PaymentProvider);
    const order = { reference, transactionId: row.provider_transaction_id, amountVnd: 150000, reason: 'again', now: new Date() };
    expect(await platform.refund({ ...order, refundId: made.partnerRefundId })).toEqual({ state: 'REFUNDED', platformRefundId: made.refundId });
    expect(await platform.refund({ ...order, refundId: randomUUID() })).toEqual({ state: 'REFUSED', code: '03', message: 'Transaction already refunded' });
    expect(refundsAt(reference)).toHaveLength(1);
  });

  it('reconciles a refund the platform never confirmed (down at refund time, or its answer lost) to exactly one refund', async () => {
    const service = t.app.get(PaymentsService);
    try {
      // Down: the claim is committed, nothing reached the platform; the request stays REFUNDING.
      const down = await paidOnline();
      gw.setRefundMode('down');
      const claimed = await refund(down.paymentId);
      expect(claimed.status).toBe(202);
      expect(claimed.body).toMatchObject({ status: 'REFUNDING', refundAttempts: 1, refundError: expect.stringContaining('503') });
      expect((await refund(down.paymentId)).body.code).toBe('REFUND_IN_PROGRESS');
      expect(refundsAt(down.reference)).toEqual([]);
      // No longer counted as paid from the claim on.
      expect((await t.http().get(`/api/v1/dossiers/${down.dossierId}/payments`).set(auth('citizen')).expect(200)).body).toMatchObject({
        paidVnd: 0,
        pendingVnd: 0,
      });
      await service.reconcile(); // still down: nothing changes
      expect(await payment(down.paymentId)).toMatchObject({ status: 'REFUNDING' });
      gw.setRefundMode('ok');
      const pass = await service.reconcile();
      expect(pass.refunded).toBeGreaterThanOrEqual(1);
      const [made, ...more] = refundsAt(down.reference);
      expect(more).toEqual([]);
      expect(await payment(down.paymentId)).toMatchObject({
        status: 'REFUNDED',
        refund_id: claimed.body.refundId,
        provider_refund_id: made.refundId,
        refund_error: null,
      });
      expect(made.partnerRefundId).toBe(claimed.body.refundId);

      // Answer lost: the platform made the refund, we never heard. The pass asks by refund id and settles without sending again.
      const lost = await paidOnline();
      gw.setRefundMode('lose-answer');
      expect((await refund(lost.paymentId)).status).toBe(202);
      gw.setRefundMode('ok');
      expect(refundsAt(lost.reference)).toHaveLength(1);
      const calls = gw.refundCalls();
      await service.reconcile();
      expect(gw.refundCalls()).toBe(calls);
      expect(await payment(lost.paymentId)).toMatchObject({ status: 'REFUNDED', provider_refund_id: refundsAt(lost.reference)[0].refundId });
      // Further passes change nothing, and each dossier's history says refunded once.
      await service.reconcile();
      expect(refundsAt(down.reference)).toHaveLength(1);
      expect(refundsAt(lost.reference)).toHaveLength(1);
      for (const d of [down, lost]) expect(countOf(await eventTypes(d.dossierId), 'PAYMENT_REFUNDED')).toBe(1);

      // Refused by the platform: flagged for an officer, left REFUNDING, and not sent again by the passes.
      const refused = await paidOnline();
      gw.setRefundMode('refuse');
      const answer = await refund(refused.paymentId);
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ status: 'REFUNDING', flag: 'REFUND_REFUSED', refundError: expect.stringContaining('Refund rejected by the bank') });
      const after = gw.refundCalls();
      await service.reconcile();
      expect(gw.refundCalls()).toBe(after);
      expect(await outboxFor(refused.paymentId)).toContain('payment.flagged');
    } finally {
      gw.setRefundMode('ok');
    }
  });

  it('settles a payment whose callback never comes by the reconciliation job, and ignores the late callback after', async () => {
    const lost = await submittedAndInitiated();
    expect(await gw.complete(lost.reference, { kind: 'never-call-back' })).toEqual([]);
    const late = await submittedAndInitiated();
    const lateCallback = gw.complete(late.reference, { kind: 'late', delayMs: 1500 });
    const pass = await t.app.get(PaymentsService).reconcile();
    expect(pass.settled).toBeGreaterThanOrEqual(2);
    expect(await payment(lost.paymentId)).toMatchObject({ status: 'PAID' });
    expect(await payment(late.paymentId)).toMatchObject({ status: 'PAID' });
    const [answer] = await lateCallback;
    expect(answer.body).toEqual({ errorCode: '00', message: 'Order already confirmed' });
    expect(await receiptsOf(late.dossierId)).toHaveLength(1);
    // An admin can run a pass by hand too.
    await t.http().post('/api/v1/admin/payments/reconcile').set(auth('admin')).expect(200);
  });

  /** A birth-registration dossier taken to processing (no fee in the catalogue: the officer asks a variable amount). */
  async function inProgress(): Promise<string> {
    fileId ??= await uploadPdf(t, { token: citizen.token });
    const d = await fileDossier(t, citizen, { procedureCode: BIRTH, fileId });
    for (const [who, action] of [
      ['tiepnhan.hacthanh', 'accept'],
      ['tiepnhan.hacthanh', 'assign'],
      ['chuyenvien.hacthanh', 'claim'],
    ] as const) {
      const res = await act(t, tok[who], d.id, action);
      expect({ action, status: res.status }).toEqual({ action, status: 200 });
    }
    return d.id;
  }

  it('drives status 6 by the payment request: paused while pending, resumed by the system when paid online', async () => {
    const id = await inProgress();
    const noFee = await act(t, tok['chuyenvien.hacthanh'], id, 'request-payment', {});
    expect(noFee.body.code).toBe('NOTHING_TO_PAY');
    const waiting = await act(t, tok['chuyenvien.hacthanh'], id, 'request-payment', { amountVnd: 8000, description: 'Phí cấp bản sao trích lục' });
    expect(waiting.body).toMatchObject({ status: 'AWAITING_PAYMENT', statusCode: 6, deadline: { state: 'PAUSED' } });
    const [p] = (await t.http().get(`/api/v1/dossiers/${id}/payments`).set(auth('citizen')).expect(200)).body.payments;
    expect(p).toMatchObject({ stage: 'VARIABLE', status: 'PENDING', amountVnd: 8000 });
    await t.http().post(`/api/v1/payments/${p.id}/online`).set(auth('citizen')).expect(200);
    await gw.complete(p.reference, { kind: 'pay' });
    const after = (await t.http().get(`/api/v1/dossiers/${id}`).set(auth('chuyenvien.hacthanh')).expect(200)).body;
    expect(after).toMatchObject({ status: 'IN_PROGRESS', deadline: { state: 'RUNNING' } });
    const events = (await t.db.query(`SELECT type, actor_kind FROM dossier_events WHERE dossier_id = $1 ORDER BY seq`, [id])).rows;
    expect(events.filter((e) => e.type === 'CONFIRM_PAYMENT')).toEqual([{ type: 'CONFIRM_PAYMENT', actor_kind: 'system' }]);
    // The national portal hears of the fee with the status changes: asked and unpaid at status 6, paid online on
    // resuming. Each push is as of its change, however late it is built (here the payment is made at once).
    const pushes = await waitFor(async () => {
      const ups = portal.byCode.get(after.code) ?? [];
      return ups.at(-1)?.record.TrangThaiHoSo === 4 && ups.at(-1)?.record.ThanhToanTrucTuyen === 1 ? ups : null;
    }, 'the resumed dossier pushed');
    const asked = pushes.filter((u) => u.record.TrangThaiHoSo === 6);
    expect(asked.map((u) => u.record)).toMatchObject([{ ThanhToanTrucTuyen: 0, DanhSachLePhi: [{ SoTien: 8000, DaThanhToan: false }] }]);
    expect(pushes.at(-1)!.record).toMatchObject({ ThanhToanTrucTuyen: 1, DanhSachLePhi: [{ SoTien: 8000, DaThanhToan: true }] });
    // However late the status-6 push were built, its fees are as of that change: asked, not paid.
    const [{ at: askedAt }] = (await t.db.query(`SELECT at FROM dossier_events WHERE dossier_id = $1 AND data->>'to' = 'AWAITING_PAYMENT'`, [id])).rows;
    const fees = t.app.get(PaymentPortalFees);
    expect((await fees.feesOf([id], askedAt)).get(id)).toEqual({
      lines: [{ code: 'VARIABLE', name: expect.any(String), amountVnd: 8000, paid: false }],
      paidOnline: false,
    });
    expect((await fees.feesOf([id], new Date(askedAt.getTime() - 1))).get(id)).toEqual({ lines: [], paidOnline: false });
    expect((await fees.feesOf([id])).get(id)).toEqual({
      lines: [{ code: 'VARIABLE', name: expect.any(String), amountVnd: 8000, paid: true }],
      paidOnline: true,
    });
  });

  it('takes a desk payment (who, when, how much) and a VietQR transfer, each with its receipt', async () => {
    const id = await inProgress();
    await act(t, tok['chuyenvien.hacthanh'], id, 'request-payment', { amountVnd: 20000, description: 'Lệ phí' });
    const [p] = (await t.http().get(`/api/v1/dossiers/${id}/payments`).set(auth('citizen')).expect(200)).body.payments;
    const wrong = await t
      .http()
      .post(`/api/v1/payments/${p.id}/counter`)
      .set(auth('tiepnhan.hacthanh'))
      .send({ method: 'COUNTER_CASH', amountVnd: 2000 })
      .expect(422);
    expect(wrong.body.code).toBe('AMOUNT_MISMATCH');
    await t.http().post(`/api/v1/payments/${p.id}/counter`).set(auth('citizen')).send({ method: 'COUNTER_CASH', amountVnd: 20000 }).expect(403);
    const paid = (
      await t
        .http()
        .post(`/api/v1/payments/${p.id}/counter`)
        .set(auth('tiepnhan.hacthanh'))
        .send({ method: 'COUNTER_CASH', amountVnd: 20000, payerName: 'Nguyễn Văn An' })
        .expect(201)
    ).body;
    expect(paid.payment).toMatchObject({ status: 'PAID', method: 'COUNTER_CASH', payerName: 'Nguyễn Văn An' });
    expect(paid.receipt).toMatchObject({ amountInWords: 'Hai mươi nghìn đồng', method: 'COUNTER_CASH' });
    expect((await payment(p.id)).recorded_by).toBeTruthy();
    expect((await t.http().get(`/api/v1/dossiers/${id}`).set(auth('chuyenvien.hacthanh')).expect(200)).body.status).toBe('IN_PROGRESS');

    await act(t, tok['chuyenvien.hacthanh'], id, 'request-payment', { amountVnd: 35000, description: 'Phí thẩm định' });
    const q = (await t.http().get(`/api/v1/dossiers/${id}/payments`).set(auth('citizen')).expect(200)).body.payments.find(
      (x: { status: string }) => x.status === 'PENDING',
    );
    const qr = (await t.http().get(`/api/v1/payments/${q.id}/vietqr`).set(auth('citizen')).expect(200)).body;
    expect(qr.payload.startsWith('000201')).toBe(true);
    expect(qr.payload).toContain('970415');
    expect(qr.payload).toContain('113366668888');
    expect(qr.payload).toContain('540535000');
    expect(qr.imageDataUrl.startsWith('data:image/png;base64,')).toBe(true);
    await t
      .http()
      .post(`/api/v1/payments/${q.id}/bank-transfer`)
      .set(auth('tiepnhan.hacthanh'))
      .send({ bankReference: 'FT26337000001', amountVnd: 35000 })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/payments/${q.id}/bank-transfer`)
      .set(auth('tiepnhan.hacthanh'))
      .send({ bankReference: 'FT26337000001', amountVnd: 35000 })
      .expect(409);
    expect(await receiptsOf(id)).toHaveLength(2);

    // A bank statement: banks drop the reference's punctuation; each line matches once.
    await act(t, tok['chuyenvien.hacthanh'], id, 'request-payment', { amountVnd: 12000, description: 'Phí' });
    const r = (await t.http().get(`/api/v1/dossiers/${id}/payments`).set(auth('citizen')).expect(200)).body.payments.find(
      (x: { status: string }) => x.status === 'PENDING',
    );
    const content = `NOP PHI ${r.reference.replace(/[^0-9A-Za-z]/g, ' ')} NGUYEN VAN AN`;
    const lines = [
      { bankReference: 'FT26337000002', amountVnd: 12000, content },
      { bankReference: 'FT26337000003', amountVnd: 5000, content: 'CHUYEN TIEN AN TRUA' },
    ];
    const results = (await t.http().post('/api/v1/payments/bank-statements').set(auth('tiepnhan.hacthanh')).send({ lines }).expect(200)).body;
    expect(results.map((x: { outcome: string }) => x.outcome)).toEqual(['PAID', 'NO_MATCH']);
    const again = (await t.http().post('/api/v1/payments/bank-statements').set(auth('tiepnhan.hacthanh')).send({ lines }).expect(200)).body;
    expect(again.map((x: { outcome: string }) => x.outcome)).toEqual(['ALREADY_RECORDED', 'NO_MATCH']);
    expect(await receiptsOf(id)).toHaveLength(3);
  });

  it("reports a statement line naming another agency's reference per line, as it reports an unknown one, and commits the others", async () => {
    const mine = [await submittedAndInitiated(), await submittedAndInitiated()];
    // A dossier of phường Hàm Rồng (received and decided there), its submission fee pending.
    const HAM_RONG = '000.00.21.H56';
    const theirs = await fileDossier(t, citizen, { procedureCode: HOUSEHOLD_BUSINESS, agencyCode: HAM_RONG, fileId });
    const foreign = (await t.http().post(`/api/v1/dossiers/${theirs.id}/payments`).set(auth('citizen')).send({}).expect(201)).body;
    expect(foreign.collectingAgencyCode).toBe(HAM_RONG);
    const unknown = foreign.reference.replace(HAM_RONG, '000.00.29.H56');
    const line = (n: number, reference: string) => ({
      bankReference: `FT2634200000${n}`,
      amountVnd: 150000,
      content: `NOP LE PHI ${reference.replace(/[^0-9A-Za-z]/g, ' ')}`,
    });
    const lines = [line(1, mine[0].reference), line(2, foreign.reference), line(3, unknown), line(4, mine[1].reference)];
    const results = (await t.http().post('/api/v1/payments/bank-statements').set(auth('tiepnhan.hacthanh')).send({ lines }).expect(200)).body;
    expect(results.map((x: { outcome: string }) => x.outcome)).toEqual(['PAID', 'NO_MATCH', 'NO_MATCH', 'PAID']);
    // Word for word what an unknown reference gets: nothing says the reference exists elsewhere.
    expect(results[1]).toEqual({ bankReference: lines[1].bankReference, outcome: 'NO_MATCH' });
    expect({ ...results[2], bankReference: lines[1].bankReference }).toEqual(results[1]);
    expect(await payment(foreign.id)).toMatchObject({ status: 'PENDING' });
    expect(await receiptsOf(theirs.id)).toHaveLength(0);
    for (const m of mine) expect(await payment(m.paymentId)).toMatchObject({ status: 'PAID', method: 'VIETQR' });
    expect((await receiptsOf(mine[1].dossierId)).map((r) => r.method)).toEqual(['VIETQR']);
  });

  it("confirm-payment at the desk pays what is pending with an e-receipt (the workflow's own action)", async () => {
    const id = await inProgress();
    await act(t, tok['chuyenvien.hacthanh'], id, 'request-payment', { amountVnd: 8000, description: 'Lệ phí cấp bản sao trích lục' });
    const res = await act(t, tok['tiepnhan.hacthanh'], id, 'confirm-payment', { receiptNumber: 'BL-0001' });
    expect(res.body).toMatchObject({ status: 'IN_PROGRESS', deadline: { state: 'RUNNING' } });
    expect(await receiptsOf(id)).toHaveLength(1);
  });

  it('gives 200 concurrent payments of one series 200 distinct ascending numbers with no gap', async () => {
    const orders = [];
    for (let i = 0; i < 200; i++) orders.push(await submittedAndInitiated());
    const answers = await Promise.all(orders.map((o) => gw.complete(o.reference, { kind: 'pay' })));
    expect(answers.every(([a]) => a.body.errorCode === '00')).toBe(true);
    const mine = (
      await t.db.query(`SELECT number FROM receipts WHERE dossier_id = ANY($1::uuid[]) ORDER BY number`, [orders.map((o) => o.dossierId)])
    ).rows.map((r) => r.number);
    expect(mine).toHaveLength(200);
    expect(new Set(mine).size).toBe(200);
    expect(mine[199] - mine[0]).toBe(199);
    const all = (await t.db.query(`SELECT number FROM receipts WHERE agency_code = $1 AND series = 'HT-26E' ORDER BY number`, [HAC_THANH])).rows.map(
      (r) => r.number,
    );
    expect(all).toEqual(all.map((_, i) => i + 1));
    // The receipts follow the order of the payments' commits: issued_at never goes back as numbers go up.
    const order = (await t.db.query(`SELECT number, issued_at FROM receipts WHERE agency_code = $1 AND series = 'HT-26E' ORDER BY number`, [HAC_THANH])).rows;
    for (let i = 1; i < order.length; i++) expect(new Date(order[i].issued_at).getTime()).toBeGreaterThanOrEqual(new Date(order[i - 1].issued_at).getTime());

    const today = vietnamDate(new Date(order[order.length - 1].issued_at)); // the receipts' day in Vietnam, not the wall clock's
    const daily = (await t.http().get(`/api/v1/admin/receipts/daily?date=${today}&agencyCode=${HAC_THANH}`).set(auth('admin')).expect(200)).body;
    expect(daily).toEqual([expect.objectContaining({ agencyCode: HAC_THANH, series: 'HT-26E', count: all.length, firstNumber: 1, lastNumber: all.length })]);
  }, 180_000);

  it('renders the receipt as a signed PDF with its Vietnamese text intact', async () => {
    const { dossierId, reference } = await submittedAndInitiated();
    await gw.complete(reference, { kind: 'pay' });
    const [receipt] = await receiptsOf(dossierId);
    const res = await t
      .http()
      .get(`/api/v1/receipts/${receipt.id}/pdf`)
      .set(auth('citizen'))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-receipt-signed']).toBe('true');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/ETSI.CAdES.detached');
    const out = path.join(process.env.MOTCUA_TEST_DIR!, 'receipt.pdf');
    writeFileSync(out, pdf);
    if (process.env.MOTCUA_KEEP_RECEIPT) writeFileSync(process.env.MOTCUA_KEEP_RECEIPT, pdf);
    // With poppler installed, the text layer is read back (diacritics included) and a PNG made to look at.
    if (existsSync('/usr/bin/pdftotext')) {
      const text = execFileSync('pdftotext', ['-layout', out, '-']).toString('utf8');
      for (const s of [
        'BIÊN LAI THU PHÍ, LỆ PHÍ',
        'Một trăm năm mươi nghìn đồng',
        'PHƯỜNG HẠC',
        'Đăng ký thành lập hộ kinh doanh',
        'Nguyễn Văn An',
        'Lệ phí',
        'HT-26E',
      ])
        expect(text).toContain(s);
      execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', out, path.join(process.env.MOTCUA_TEST_DIR!, 'receipt')]);
      if (process.env.MOTCUA_KEEP_RECEIPT)
        execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', out, process.env.MOTCUA_KEEP_RECEIPT.replace(/\.pdf$/, '')]);
    }
  });
});

describe('receipt numbers across the new year (Vietnam time)', () => {
  let gw: PaygovTestGateway;
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-12-31T16:58:00Z')); // 23:58 on 31/12 in Hà Nội, 16:58 UTC

  beforeAll(async () => {
    gw = await startPaygovTestGateway({ secret: SECRET });
    t = await paymentsApp(gw, clock);
  });
  afterAll(async () => {
    await t?.close();
    await gw?.close();
  });

  it('restarts at 1 in a new series at midnight in Vietnam, not at midnight UTC', async () => {
    const citizen = await registerCitizen(t);
    const officer = await login(t, 'tiepnhan.hacthanh', DEMO);
    const fileId = await uploadPdf(t, { token: citizen.token });
    const payAtDesk = async () => {
      const d = await fileDossier(t, citizen, { procedureCode: HOUSEHOLD_BUSINESS, fileId });
      const p = (await t.http().post(`/api/v1/dossiers/${d.id}/payments`).set('Authorization', `Bearer ${citizen.token}`).send({}).expect(201)).body;
      return (
        await t
          .http()
          .post(`/api/v1/payments/${p.id}/counter`)
          .set('Authorization', `Bearer ${officer}`)
          .send({ method: 'COUNTER_CARD', amountVnd: 150000 })
          .expect(201)
      ).body.receipt;
    };
    expect(await payAtDesk()).toMatchObject({ series: 'BL-26E', year: 2026, number: 1 });
    expect(await payAtDesk()).toMatchObject({ series: 'BL-26E', year: 2026, number: 2 });
    clock.set('2026-12-31T17:00:00Z'); // 00:00 on 1/1/2027 in Vietnam; still 31/12 in UTC
    expect(await payAtDesk()).toMatchObject({ series: 'BL-27E', year: 2027, number: 1 });
    expect(await payAtDesk()).toMatchObject({ series: 'BL-27E', year: 2027, number: 2 });
  });
});
