import type { ApiScope } from '../auth/scopes.js';

/**
 * The event types integrators may subscribe to: adding one is one line here, plus a
 * `publishIntegrationEvents(em, 'the.type', […])` in the transaction that causes it (see
 * integration-events.ts). Names are stored in subscriptions and events: never rename one.
 */
export const WEBHOOK_TOPICS = {
  'dossier.submitted': 'Hồ sơ mới được nộp / A dossier was filed',
  'dossier.status_changed': 'Hồ sơ đổi trạng thái (kể cả khi nộp) / A dossier changed status (filing included)',
  'dossier.deadline.due_soon': 'Hồ sơ sắp đến hạn / A dossier (or one of its steps) is due soon',
  'dossier.deadline.overdue': 'Hồ sơ quá hạn / A dossier (or one of its steps) is overdue',
  'result.signed': 'Kết quả đã được ký số / A dossier\'s result was digitally signed',
  'payment.paid': 'Đã thanh toán phí, lệ phí / A fee was paid (published by the payments module)',
  'dossier.rated': 'Hồ sơ được đánh giá hoặc đính chính đánh giá / The owner rated a dossier, or corrected the rating (revision, verdict, total, band; no comment)',
  'dossier.complaint_filed': 'Có phản ánh, kiến nghị về hồ sơ / The owner filed a complaint about a dossier (its id only, not its text)',
} as const;

export type WebhookTopic = keyof typeof WEBHOOK_TOPICS;
export const WEBHOOK_TOPIC_NAMES = Object.keys(WEBHOOK_TOPICS) as WebhookTopic[];

/**
 * The API-key scopes an integrator's endpoint needs to receive each type, as data: checked when it
 * subscribes (403 WEBHOOK_TOPIC_OUT_OF_SCOPE) and again when events are fanned out and replayed
 * (SUBSCRIBERS_SQL), so an endpoint that got a topic some other way still gets nothing its key may
 * not read. Every type so far tells of one dossier (its id, code and what happened to it), which is
 * what `dossiers:read` guards; `webhooks:manage` alone manages endpoints and receives nothing.
 * Endpoints of people (admins) are governed by their role, as everywhere.
 */
export const WEBHOOK_TOPIC_SCOPES: { readonly [T in WebhookTopic]: readonly ApiScope[] } = {
  'dossier.submitted': ['dossiers:read'],
  'dossier.status_changed': ['dossiers:read'],
  'dossier.deadline.due_soon': ['dossiers:read'],
  'dossier.deadline.overdue': ['dossiers:read'],
  'result.signed': ['dossiers:read'],
  'payment.paid': ['dossiers:read'],
  'dossier.rated': ['dossiers:read'],
  'dossier.complaint_filed': ['dossiers:read'],
};

/** The topics among `topics` that a key holding `scopes` may not receive, with what each needs. */
export function topicsBeyondScopes(topics: readonly string[], scopes: readonly string[]): Array<{ topic: string; needs: readonly string[] }> {
  return topics.flatMap((topic) => {
    const needs: readonly string[] = WEBHOOK_TOPIC_SCOPES[topic as WebhookTopic] ?? ['(no such topic)'];
    return needs.every((s) => scopes.includes(s)) ? [] : [{ topic, needs }];
  });
}
