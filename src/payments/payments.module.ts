import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { AppConfig } from '../config/app-config.js';
import { DossierRecordModule } from '../dossier-record/dossier-record.module.js';
import { Outbox } from '../outbox/outbox.js';
import { PaygovProvider } from './paygov/paygov-adapter.js';
import { PaymentProvider } from './payment-provider.js';
import { PAYMENT_TOPICS } from './payment-topics.js';
import { PaymentsController } from './payments.controller.js';
import { PaymentsCoreModule } from './payments-core.module.js';
import { PaymentsService } from './payments.service.js';

/**
 * The reconciliation job: on workers, every PAYMENT_RECONCILE_MS, one pass of
 * PaymentsService.reconcile (queries the platform about pending requests, expires the stale). A
 * pass is idempotent, so replicas running it at once only repeat a query.
 */
class PaymentReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly log = new Logger('PaymentReconciler');

  constructor(@Inject(AppConfig) private readonly config: AppConfig, @Inject(PaymentsService) private readonly payments: PaymentsService) {}

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.payments.reconcile().catch((e: Error) => this.log.warn(`reconciliation pass failed: ${e.message}`)).finally(() => { this.running = null; });
    }, this.config.payments.reconcileMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

/** Fees and online payment: the platform adapter, callbacks, reconciliation, desk and VietQR payments, receipts' routes. */
@Module({
  imports: [CatalogModule, DossierRecordModule, PaymentsCoreModule],
  controllers: [PaymentsController],
  providers: [
    PaymentsService,
    PaymentReconciler,
    {
      provide: PaymentProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig): PaymentProvider | null => (config.payments.paygov ? new PaygovProvider(config.payments.paygov) : null),
    },
  ],
})
export class PaymentsModule {
  constructor(@Inject(Outbox) outbox: Outbox) {
    // Webhooks hear of `payment.paid` through an integration event written in the payment's own
    // transaction (payment-requests.service.ts). Until the national-portal sync subscribes, these
    // intents are kept in the outbox and marked delivered here; replace this handler of a topic by
    // its subscriber's (one handler per topic).
    for (const topic of Object.values(PAYMENT_TOPICS)) outbox.handleWithDelivery(topic, { deliver: async () => undefined });
  }
}
