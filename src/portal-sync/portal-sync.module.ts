import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DossierRecordModule } from '../dossier-record/dossier-record.module.js';
import { PaymentsCoreModule } from '../payments/payments-core.module.js';
import { PaymentPortalFees } from '../payments/portal-fees.js';
import { PortalAdapter } from './portal-adapter.js';
import { PortalSyncController } from './portal-sync.controller.js';
import { PortalSyncService } from './portal-sync.service.js';

/** The national public-service portal kept in sync: a `national-portal` adapter of the delivery engine, fed by the outbox. */
@Module({
  imports: [DeliveryModule, DossierRecordModule, CatalogModule, PaymentsCoreModule],
  controllers: [PortalSyncController],
  providers: [PortalAdapter, PortalSyncService, PaymentPortalFees],
  exports: [PortalSyncService],
})
export class PortalSyncModule implements OnModuleInit {
  constructor(
    @Inject(PortalSyncService) private readonly sync: PortalSyncService,
    @Inject(PaymentPortalFees) private readonly fees: PaymentPortalFees,
  ) {}

  /** Every push carries the dossier's fee lines and whether they were paid online (the payments' tables, read-only). */
  onModuleInit(): void {
    this.sync.useFeesProvider(this.fees);
  }
}
