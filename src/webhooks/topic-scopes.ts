import type { ApiScope } from '../auth/scopes.js';
import type { WebhookTopic } from '../integration-events/event-types.js';

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
