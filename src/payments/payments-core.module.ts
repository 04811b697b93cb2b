import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ReceiptsService } from './receipts/receipts.service.js';
import { PaymentRequestsService } from './payment-requests.service.js';
import { PaymentSettlement } from './payment-settlement.js';

/**
 * The part of payments the workflow uses (opening requests, marking them paid with their receipt)
 * and the hook through which a settled payment resumes its dossier (PaymentSettlement, registered
 * by the workflow): payments never import the dossiers application above them.
 */
@Module({
  imports: [AgenciesModule, CatalogModule],
  providers: [PaymentRequestsService, ReceiptsService, PaymentSettlement],
  exports: [PaymentRequestsService, ReceiptsService, PaymentSettlement],
})
export class PaymentsCoreModule {}
