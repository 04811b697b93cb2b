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
  'result.signed': "Kết quả đã được ký số / A dossier's result was digitally signed",
  'payment.paid': 'Đã thanh toán phí, lệ phí / A fee was paid (published by the payments module)',
  'dossier.rated':
    'Hồ sơ được đánh giá hoặc đính chính đánh giá / The owner rated a dossier, or corrected the rating (revision, verdict, total, band; no comment)',
  'dossier.complaint_filed': 'Có phản ánh, kiến nghị về hồ sơ / The owner filed a complaint about a dossier (its id only, not its text)',
} as const;

export type WebhookTopic = keyof typeof WEBHOOK_TOPICS;
export const WEBHOOK_TOPIC_NAMES = Object.keys(WEBHOOK_TOPICS) as WebhookTopic[];
