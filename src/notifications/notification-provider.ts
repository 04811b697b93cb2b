import { Logger } from '@nestjs/common';
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
