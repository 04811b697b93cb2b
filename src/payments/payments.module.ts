import { Inject, Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AppConfig } from '../config/app-config.js';
import { DossierRecordModule } from '../dossier-record/dossier-record.module.js';
import { Outbox } from '../outbox/outbox.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { PaygovProvider } from './paygov/paygov-adapter.js';
import { PaymentProvider } from './payment-provider.js';
import { PAYMENT_TOPICS } from './payment-topics.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsCoreModule } from './payments-core.module.js';
import { PaymentsService } from './payments.service.js';

/** Fees and online payment: the platform adapter, callbacks, reconciliation, desk and VietQR payments, receipts' routes. */
@Module({
  imports: [CatalogModule, DossierRecordModule, PaymentsCoreModule],
  controllers: [PaymentsController],
  providers: [
    PaymentsService,
    {
      provide: PaymentProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig): PaymentProvider | null => (config.payments.paygov ? new PaygovProvider(config.payments.paygov) : null),
    },
  ],
})
export class PaymentsModule {
  constructor(
    @Inject(Outbox) outbox: Outbox,
    @Inject(Scheduler) scheduler: Scheduler,
    @Inject(AppConfig) config: AppConfig,
    @Inject(PaymentsService) payments: PaymentsService,
  ) {
    // The reconciliation: every PAYMENT_RECONCILE_MS, one pass on one worker of all the replicas
    // (queries the platform about pending requests, expires the stale; idempotent).
    scheduler.register({ name: 'payments.reconcile', everyMs: config.payments.reconcileMs, run: () => payments.reconcile() });
    // Webhooks hear of `payment.paid` through an integration event written in the payment's own
    // transaction (payment-requests.service.ts). Until the national-portal sync subscribes, these
    // intents are kept in the outbox and marked delivered here; replace this handler of a topic by
    // its subscriber's (one handler per topic).
    for (const topic of Object.values(PAYMENT_TOPICS)) outbox.handleWithDelivery(topic, { deliver: async () => undefined });
  }
}
