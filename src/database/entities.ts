import { ApiKey } from '../auth/api-key.entity.js';
import { Agency, AgencyProcedure } from '../agencies/agency.entity.js';
import { CalendarDay } from '../calendar/calendar-day.entity.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { User } from '../auth/user.entity.js';
import { Procedure, ProcedureRevision } from '../catalog/procedure.entity.js';
import { StoredFile } from '../documents/stored-file.entity.js';
import { FileSignatureReport } from '../signatures/verification/signature-report.entity.js';
import { TrustAnchor } from '../signatures/trust/trust-anchor.entity.js';
import { ResultSigning } from '../signatures/signing/result-signing.entity.js';
import { AgencyDaySequence, Dossier, DossierAttachment, DossierEvent, IdempotencyKey } from '../dossier-record/dossier.entity.js';
import { OutboxFanout, OutboxMessage } from '../outbox/outbox.entity.js';
import { NotificationDelivery } from '../notifications/notification-delivery.entity.js';
import { DossierClock } from '../deadlines/dossier-clock.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { PersonDocument } from '../dossiers/store/person-document.entity.js';
import { StoreAccessEntry, StoreAlert, StoreShareCode } from '../dossiers/store/store-consent.entities.js';
import { IdentityCheck } from '../auth/identity-check.entity.js';
import { DossierComplaint, DossierRating } from '../ratings/rating.entity.js';
import { FeeCollector, PaymentRequest, PaymentTransaction } from '../payments/payment.entity.js';
import { Receipt, ReceiptCounter } from '../payments/receipts/receipt.entity.js';
import { Delivery, DeliveryAttempt, DeliveryTarget } from '../delivery/delivery.entities.js';
import { IntegrationEvent } from '../webhooks/integration-event.entity.js';
import { WebhookAllowedHost, WebhookEndpoint } from '../webhooks/webhook-endpoint.entity.js';
import { ReportDossierFact } from '../reports/report-fact.entity.js';
import { ReportMonthlyRollup, ReportRollupDirty, ReportRollupMonth } from '../reports/report-rollup.entity.js';

/**
 * Every TypeORM entity of the service. The data source, the migration generator and the
 * schema-drift test all read this list, so an entity not listed here does not exist.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
export const ENTITIES: Function[] = [
  User,
  RefreshToken,
  ApiKey,
  Agency,
  AgencyProcedure,
  Procedure,
  ProcedureRevision,
  StoredFile,
  Dossier,
  DossierAttachment,
  DossierEvent,
  AgencyDaySequence,
  IdempotencyKey,
  OutboxMessage,
  OutboxFanout,
  CalendarDay,
  DossierClock,
  Notification,
  NotificationDelivery,
  FileSignatureReport,
  TrustAnchor,
  ResultSigning,
  PersonDocument,
  PaymentRequest,
  PaymentTransaction,
  FeeCollector,
  Receipt,
  ReceiptCounter,
  DossierRating,
  DossierComplaint,
  DeliveryTarget,
  Delivery,
  DeliveryAttempt,
  IntegrationEvent,
  WebhookEndpoint,
  WebhookAllowedHost,
  ReportDossierFact,
  IdentityCheck,
  StoreShareCode,
  StoreAccessEntry,
  StoreAlert,
  ReportMonthlyRollup,
  ReportRollupMonth,
  ReportRollupDirty,
];
