import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { DossierRecordModule } from '../dossier-record/dossier-record.module.js';
import { AppConfig } from '../config/app-config.js';
import { NotificationProvider, NotificationRetry, notificationProviderFor, notificationRetryFor } from './notification-provider.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsStoreModule } from './notifications-store.module.js';
import { StatusNotifier } from './status-notifier.js';
import { DeadlineNotices } from './deadline-notices.js';
import { DeadlinesModule } from '../deadlines/deadlines.module.js';

/**
 * Applicants hear about every status change of their dossier (in-app, e-mail, SMS); the one-stop
 * desk and the assigned officer hear of the clocks' warnings (DeadlineNotices). The provider is
 * the recording one unless another was bound to the app's config (useNotificationProvider).
 */
@Module({
  imports: [DossierRecordModule, AuthModule, CatalogModule, NotificationsStoreModule, DeadlinesModule],
  controllers: [NotificationsController],
  providers: [
    StatusNotifier,
    DeadlineNotices,
    { provide: NotificationProvider, inject: [AppConfig], useFactory: notificationProviderFor },
    { provide: NotificationRetry, inject: [AppConfig], useFactory: notificationRetryFor },
  ],
})
export class StatusNotificationsModule {}
