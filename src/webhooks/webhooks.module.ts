import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { NotificationsStoreModule } from '../notifications/notifications-store.module.js';
import { IntegrationEvents } from './integration-events.js';
import { WebhookAdapter } from './webhook-adapter.js';
import { WebhookDestinations } from './webhook-allowances.js';
import { WebhookAllowancesController, WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Standard Webhooks for integrators: endpoints, the event log they fan out from, and their adapter of the delivery engine. */
@Module({
  imports: [DeliveryModule, NotificationsStoreModule],
  controllers: [WebhooksController, WebhookAllowancesController],
  providers: [WebhooksService, WebhookAdapter, IntegrationEvents, WebhookDestinations],
})
export class WebhooksModule {}
