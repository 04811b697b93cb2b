import { Module } from '@nestjs/common';
import { NotificationsService } from './notifications.service.js';

/** The notices table, shared by the status notifier, the clocks' warnings (DeadlineNotices) and webhooks. */
@Module({ providers: [NotificationsService], exports: [NotificationsService] })
export class NotificationsStoreModule {}
