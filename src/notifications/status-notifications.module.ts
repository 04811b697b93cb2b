import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DossiersModule } from '../dossiers/dossiers.module.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { NotificationProvider, RecordingProvider } from './notification-provider.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsStoreModule } from './notifications-store.module.js';
import { StatusNotifier } from './status-notifier.js';

/**
 * Applicants hear about every status change of their dossier (in-app, e-mail, SMS). The provider
 * is the recording one until an SMTP relay or SMS gateway implementation is bound here.
 */
@Module({
  imports: [DossiersModule, CatalogModule, NotificationsStoreModule],
  controllers: [NotificationsController],
  providers: [StatusNotifier, OutboxRelay, { provide: NotificationProvider, useClass: RecordingProvider }],
})
export class StatusNotificationsModule {}
