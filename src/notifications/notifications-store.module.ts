import { Module } from '@nestjs/common';
import { NotificationsService } from './notifications.service.js';

/** The notices table, shared by the deadline engine and the status notifier. */
@Module({ providers: [NotificationsService], exports: [NotificationsService] })
export class NotificationsStoreModule {}
