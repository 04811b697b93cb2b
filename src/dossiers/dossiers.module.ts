import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DeadlinesModule } from '../deadlines/deadlines.module.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { SignaturesModule } from '../signatures/signatures.module.js';
import { SigningModule } from '../signatures/signing/signing.module.js';
import { PaymentsCoreModule } from '../payments/payments-core.module.js';
import { DossiersController } from './dossiers.controller.js';
import { DossiersService } from './dossiers.service.js';
import { DossierRecordModule } from '../dossier-record/dossier-record.module.js';
import { PublicLookupController } from './public/public-lookup.controller.js';
import { QueuesController } from './queues/queues.controller.js';
import { QueuesService } from './queues/queues.service.js';
import { WorkflowController } from './workflow/workflow.controller.js';
import { WorkflowService } from './workflow/workflow.service.js';
import { PersonDocumentsController } from './store/person-documents.controller.js';
import { PersonDocumentsService } from './store/person-documents.service.js';
import { StoreAccessLog } from './store/store-access-log.service.js';
import { StoreAlertsService } from './store/store-alerts.service.js';
import { StoreConsentsController } from './store/store-consents.controller.js';
import { StoreConsentsService } from './store/store-consents.service.js';
import { NotificationsStoreModule } from '../notifications/notifications-store.module.js';

@Module({
  imports: [
    DossierRecordModule,
    AuthModule,
    AgenciesModule,
    CatalogModule,
    DocumentsModule,
    SignaturesModule,
    SigningModule,
    DeadlinesModule,
    PaymentsCoreModule,
    NotificationsStoreModule,
  ],
  controllers: [DossiersController, WorkflowController, QueuesController, PublicLookupController, PersonDocumentsController, StoreConsentsController],
  providers: [DossiersService, WorkflowService, QueuesService, PersonDocumentsService, StoreConsentsService, StoreAccessLog, StoreAlertsService],
  exports: [DossiersService, WorkflowService],
})
export class DossiersModule {}
