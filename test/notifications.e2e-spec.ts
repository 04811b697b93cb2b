import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, login, registerCitizen } from './support/auth.js';
import { fileDossier, waitFor } from './support/dossiers.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { NotificationProvider, type OutgoingMessage } from '../src/notifications/notification-provider.js';

/**
 * A provider whose gateway refuses some recipients: the first `failures[recipient]` sends to them
 * fail (Infinity: every one), like an SMTP relay answering 421; the rest are delivered (recorded).
 */
class RefusingProvider extends NotificationProvider {
  readonly delivered: OutgoingMessage[] = [];
  private readonly tries = new Map<string, number>();

  constructor(private readonly failures: Record<string, number>) {
    super();
  }

  async send(message: OutgoingMessage): Promise<void> {
    const tried = (this.tries.get(message.recipient) ?? 0) + 1;
    this.tries.set(message.recipient, tried);
    if (tried <= (this.failures[message.recipient] ?? 0)) throw new Error(`421 4.3.0 ${message.recipient}: service not available, try again later`);
    this.delivered.push(message);
  }
}

describe('status notifications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true', OUTBOX_POLL_MS: '50' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('tells the applicant of each status change in the app, by e-mail and by SMS, once', async () => {
    const citizen = await registerCitizen(t, { email: 'lan@example.vn' });
    const d = await fileDossier(t, citizen, { procedureCode: '1.001193', applicant: { fullName: 'Vũ Thị Lan', phone: '0911222333', email: 'lan@example.vn' } });
    const officer = await login(t, 'tiepnhan.hacthanh', 'Demo@2026');
    await t.http().post(`/api/v1/dossiers/${d.id}/actions/accept`).set('Authorization', `Bearer ${officer}`).send({ expectedVersion: 1 }).expect(200);

    const admin = await login(t, ADMIN.username, ADMIN.password);
    const items: Array<Record<string, string>> = await waitFor(async () => {
      const list = (await t.http().get(`/api/v1/admin/notifications/deliveries?dossierId=${d.id}`).set('Authorization', `Bearer ${admin}`).expect(200)).body
        .items;
      return list.filter((x: { status: string }) => x.status === 'SENT').length >= 4 ? list : null;
    }, 'four deliveries sent');
    const sent = items.map((x) => [x.channel, x.recipient, x.subject, x.status]).sort();
    expect(sent).toEqual(
      [
        ['EMAIL', 'lan@example.vn', `Hồ sơ ${d.code}: Mới đăng ký`, 'SENT'],
        ['EMAIL', 'lan@example.vn', `Hồ sơ ${d.code}: Được tiếp nhận`, 'SENT'],
        ['SMS', '0911222333', `Hồ sơ ${d.code}: Mới đăng ký`, 'SENT'],
        ['SMS', '0911222333', `Hồ sơ ${d.code}: Được tiếp nhận`, 'SENT'],
      ].sort(),
    );
    expect(items.find((x) => x.channel === 'EMAIL')!.body).toContain(`/api/v1/public/dossiers/${d.code}`);

    const mine = (await t.http().get('/api/v1/notifications').set('Authorization', `Bearer ${citizen.token}`).expect(200)).body;
    expect(mine.items.map((n: { payload: { status: string } }) => n.payload.status)).toEqual(['RECEIVED', 'SUBMITTED']);
    const other = await registerCitizen(t);
    expect((await t.http().get('/api/v1/notifications').set('Authorization', `Bearer ${other.token}`).expect(200)).body.items).toEqual([]);
    await t.http().get('/api/v1/admin/notifications/deliveries').set('Authorization', `Bearer ${citizen.token}`).expect(403);
  });
});

describe('status notifications when the provider fails', () => {
  const provider = new RefusingProvider({ 'flaky@example.vn': 2, 'down@example.vn': Infinity });
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { SEED_DEMO: 'true', OUTBOX_POLL_MS: '50' }, notifications: { provider, retry: { attempts: 3, backoffMs: 100 } } });
    admin = await login(t, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await t?.close();
  });
  const deliveries = async (dossierId: string): Promise<Array<Record<string, unknown>>> =>
    (await t.http().get(`/api/v1/admin/notifications/deliveries?dossierId=${dossierId}`).set('Authorization', `Bearer ${admin}`).expect(200)).body.items;
  const byChannel = (items: Array<Record<string, unknown>>) => Object.fromEntries(items.map((d) => [d.channel, d]));

  it('retries a refused e-mail until it goes out, without sending the SMS again', async () => {
    const citizen = await registerCitizen(t);
    const d = await fileDossier(t, citizen, { applicant: { phone: '0911000111', email: 'flaky@example.vn' } });
    const items = await waitFor(
      async () => {
        const list = await deliveries(d.id);
        return list.length === 2 && list.every((x) => x.status === 'SENT') ? list : null;
      },
      'both deliveries sent',
      30_000,
    );
    expect(byChannel(items)).toMatchObject({
      EMAIL: { recipient: 'flaky@example.vn', status: 'SENT', attempts: 3, lastError: null, sentAt: expect.any(String) },
      SMS: { recipient: '0911000111', status: 'SENT', attempts: 1, lastError: null },
    });
    expect(provider.delivered.filter((m) => m.recipient === 'flaky@example.vn').map((m) => m.subject)).toEqual([`Hồ sơ ${d.code}: Mới đăng ký`]);
    expect(provider.delivered.filter((m) => m.recipient === '0911000111')).toHaveLength(1);
  });

  it('gives up after the configured attempts and shows the delivery FAILED with the provider’s error', async () => {
    const citizen = await registerCitizen(t);
    const d = await fileDossier(t, citizen, { applicant: { phone: '0911000222', email: 'down@example.vn' } });
    const items = await waitFor(
      async () => {
        const list = await deliveries(d.id);
        return list.some((x) => x.status === 'FAILED') ? list : null;
      },
      'the e-mail delivery to fail',
      30_000,
    );
    expect(byChannel(items)).toMatchObject({
      EMAIL: { recipient: 'down@example.vn', status: 'FAILED', attempts: 3, lastError: expect.stringContaining('421 4.3.0 down@example.vn'), sentAt: null },
      SMS: { recipient: '0911000222', status: 'SENT', attempts: 1 },
    });
    expect(provider.delivered.some((m) => m.recipient === 'down@example.vn')).toBe(false);
  });
});
