import { describe, expect, it } from '@jest/globals';
import standardwebhooks from 'standardwebhooks';
import { newWebhookSecret, signWebhook } from './webhook-signature.js';

describe('webhook signatures', () => {
  it('match the standardwebhooks package for the same id, time and body', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'dossier.submitted', timestamp: '2026-12-03T01:02:03.000Z', data: { dossierCode: 'H56.20-261203-0001' } });
    const at = new Date('2026-12-03T01:02:03Z');
    expect(signWebhook(secret, 'msg_1', Math.floor(at.getTime() / 1000), body)).toBe(new standardwebhooks.Webhook(secret).sign('msg_1', at, body));
  });
});
