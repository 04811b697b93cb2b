import { Auth1795348064262 } from './1795348064262-Auth.js';
import { Files1795348400966 } from './1795348400966-Files.js';
import { ApiKeys1795348404135 } from './1795348404135-ApiKeys.js';
import { Catalog1795348602587 } from './1795348602587-Catalog.js';
import { Dossiers1795349982032 } from './1795349982032-Dossiers.js';
import { DossierHistoryAppendOnly1795349982033 } from './1795349982033-DossierHistoryAppendOnly.js';
import { Deadlines1795350967664 } from './1795350967664-Deadlines.js';
import { Calendar1795351292637 } from './1795351292637-Calendar.js';
import { DeadlineSweeps1795352499866 } from './1795352499866-DeadlineSweeps.js';
import { DossierWorkflow1795353044830 } from './1795353044830-DossierWorkflow.js';
import { NotificationDeliveries1795354841422 } from './1795354841422-NotificationDeliveries.js';
import { QueueIndexes1795357288823 } from './1795357288823-QueueIndexes.js';
import { Signatures1795357629133 } from './1795357629133-Signatures.js';
import { SignatureLookups1795358435676 } from './1795358435676-SignatureLookups.js';
import { SupplementPolicy1795359299936 } from './1795359299936-SupplementPolicy.js';
import { BackfillSignatureReports1795359299937 } from './1795359299937-BackfillSignatureReports.js';
import { IdentityAssurance1795360000000 } from './1795360000000-IdentityAssurance.js';
import { OutboxKeys1795360000001 } from './1795360000001-OutboxKeys.js';
import { Payments1796307231360 } from './1796307231360-Payments.js';
import { CounterIntake1796307609286 } from './1796307609286-CounterIntake.js';
import { Webhooks1796307782635 } from './1796307782635-Webhooks.js';
import { Ratings1796319222677 } from './1796319222677-Ratings.js';
import { RatingsAppendOnly1796319611204 } from './1796319611204-RatingsAppendOnly.js';
import { ReportFacts1796321530961 } from './1796321530961-ReportFacts.js';
import { PaymentRefundClaims1796692708096 } from './1796692708096-PaymentRefundClaims.js';
import { WebhookAllowances1796693182795 } from './1796693182795-WebhookAllowances.js';
import { OutboxSubscribers1796698574376 } from './1796698574376-OutboxSubscribers.js';
import { DemoAccounts1796692791185 } from './1796692791185-DemoAccounts.js';
import { DataStoreConsent1796693470479 } from './1796693470479-DataStoreConsent.js';
import { PublicReportRollup1796693027807 } from './1796693027807-PublicReportRollup.js';

/**
 * Every migration, oldest first. `npm run migration:generate -- <Name>` writes a new file and adds
 * it here; the runner applies them in this order under a PostgreSQL advisory lock.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export const MIGRATIONS: Function[] = [
  Auth1795348064262,
  Files1795348400966,
  ApiKeys1795348404135,
  Catalog1795348602587,
  Dossiers1795349982032,
  DossierHistoryAppendOnly1795349982033,
  Deadlines1795350967664,
  Calendar1795351292637,
  DeadlineSweeps1795352499866,
  DossierWorkflow1795353044830,
  NotificationDeliveries1795354841422,
  QueueIndexes1795357288823,
  Signatures1795357629133,
  SignatureLookups1795358435676,
  SupplementPolicy1795359299936,
  BackfillSignatureReports1795359299937,
  IdentityAssurance1795360000000,
  OutboxKeys1795360000001,
  Payments1796307231360,
  CounterIntake1796307609286,
  Webhooks1796307782635,
  Ratings1796319222677,
  RatingsAppendOnly1796319611204,
  ReportFacts1796321530961,
  PaymentRefundClaims1796692708096,
  WebhookAllowances1796693182795,
  OutboxSubscribers1796698574376,
  DemoAccounts1796692791185,
  DataStoreConsent1796693470479,
  PublicReportRollup1796693027807,
];
