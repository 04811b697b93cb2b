import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import type { DeliveryChannel } from './notification-delivery.entity.js';

export interface OutgoingMessage {
  channel: DeliveryChannel;
  recipient: string;
  subject: string;
  body: string;
}

/**
 * Where e-mail and SMS go: an SMTP relay or an SMS gateway in production (a class implementing
 * this, bound in StatusNotificationsModule). Throwing makes BullMQ retry with backoff.
 */
export abstract class NotificationProvider {
  abstract send(message: OutgoingMessage): Promise<void>;
}

/**
 * Development and tests: nothing leaves the machine; the delivery rows (readable at
 * GET /api/v1/admin/notifications/deliveries) are the record of what would have been sent.
 */
export class RecordingProvider extends NotificationProvider {
  private readonly log = new Logger('Notifications');

  async send(message: OutgoingMessage): Promise<void> {
    // The recipient is personal data: the log names the channel and subject only.
    this.log.log(`recorded ${message.channel} "${message.subject}" (development provider: not sent)`);
  }
}

/** How a failing delivery is retried: BullMQ attempts per status change, and the first (exponential) backoff delay. */
export class NotificationRetry {
  attempts = 6;
  backoffMs = 2000;
}

const chosen = new WeakMap<AppConfig, { provider?: NotificationProvider; retry?: Partial<NotificationRetry> }>();

/**
 * Binds, for the application built with this `config`, the provider that sends e-mail and SMS (and
 * optionally the retry policy) instead of the recording provider: where a deployment plugs in its
 * SMTP relay or SMS gateway, and where tests put a provider that fails. Call before createApp.
 */
export function useNotificationProvider(config: AppConfig, provider: NotificationProvider, retry?: Partial<NotificationRetry>): void {
  chosen.set(config, { provider, retry });
}

/** The provider bound to `config`, else the recording one (StatusNotificationsModule's factory). */
export function notificationProviderFor(config: AppConfig): NotificationProvider {
  return chosen.get(config)?.provider ?? new RecordingProvider();
}

/** The retry policy bound to `config`, else the default. */
export function notificationRetryFor(config: AppConfig): NotificationRetry {
  return Object.assign(new NotificationRetry(), chosen.get(config)?.retry);
}
