import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DossiersModule } from '../dossiers/dossiers.module.js';
import { PortalAdapter } from './portal-adapter.js';
import { PortalSyncController } from './portal-sync.controller.js';
import { PortalSyncService } from './portal-sync.service.js';

/** The national public-service portal kept in sync: a `national-portal` adapter of the delivery engine, fed by the outbox. */
@Module({
  imports: [DeliveryModule, DossiersModule, CatalogModule],
  controllers: [PortalSyncController],
  providers: [PortalAdapter, PortalSyncService],
  exports: [PortalSyncService],
})
export class PortalSyncModule {}
