import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { ReceiptsService } from '../receipts/receipts.service.js';
import { PaymentRequestsService } from './payment-requests.service.js';

/**
 * The part of payments the workflow uses (opening requests, marking them paid with their receipt):
 * no dependency on the dossiers module, so the workflow can import it and the payments module
 * (callbacks, the platform, reconciliation) can drive the workflow.
 */
@Module({
  imports: [AgenciesModule, CatalogModule],
  providers: [PaymentRequestsService, ReceiptsService],
  exports: [PaymentRequestsService, ReceiptsService],
})
export class PaymentsCoreModule {}
