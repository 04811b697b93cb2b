import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DossiersModule } from '../dossiers/dossiers.module.js';
import { AppConfig } from '../config/app-config.js';
import { NotificationProvider, NotificationRetry, notificationProviderFor, notificationRetryFor } from './notification-provider.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsStoreModule } from './notifications-store.module.js';
import { StatusNotifier } from './status-notifier.js';

/**
 * Applicants hear about every status change of their dossier (in-app, e-mail, SMS). The provider
 * is the recording one unless another was bound to the app's config (useNotificationProvider).
 */
@Module({
  imports: [DossiersModule, CatalogModule, NotificationsStoreModule],
  controllers: [NotificationsController],
  providers: [
    StatusNotifier,
    { provide: NotificationProvider, inject: [AppConfig], useFactory: notificationProviderFor },
    { provide: NotificationRetry, inject: [AppConfig], useFactory: notificationRetryFor },
  ],
})
export class StatusNotificationsModule {}
