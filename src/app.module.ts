import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/app-config.js';
import { Clock, SystemClock } from './common/clock.js';
import { CoreModule } from './config/core.module.js';
import { loggerParams, usePrettyLogs } from './common/logging.js';
import { dataSourceOptions } from './database/data-source.js';
import { AgenciesModule } from './agencies/agencies.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CalendarModule } from './calendar/calendar.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { DocumentsModule } from './documents/documents.module.js';
import { SignaturesModule } from './signatures/signatures.module.js';
import { SigningModule } from './signatures/signing/signing.module.js';
import { DeadlinesModule } from './deadlines/deadlines.module.js';
import { DossiersModule } from './dossiers/dossiers.module.js';
import { FormsModule } from './forms/forms.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { StatusNotificationsModule } from './notifications/status-notifications.module.js';
import { HealthModule } from './health/health.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { SchedulerModule } from './scheduler/scheduler.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { PortalSyncModule } from './portal-sync/portal-sync.module.js';
import { RatingsModule } from './ratings/ratings.module.js';
import { ReportsModule } from './reports/reports.module.js';

/**
 * The whole service. `APP_ROLE` decides at bootstrap whether HTTP is served and workers run; the
 * modules are the same in every role so a replica of either kind sees one codebase.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, clock),
        LoggerModule.forRoot(
          loggerParams(config.logLevel, usePrettyLogs({ isTTY: process.stdout.isTTY, nodeEnv: config.nodeEnv, logFormat: config.logFormat })),
        ),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl), retryAttempts: 3, retryDelay: 1000 }),
        BullModule.forRoot({ connection: { url: config.redisUrl, maxRetriesPerRequest: null }, prefix: config.queuePrefix }),
        OutboxModule,
        SchedulerModule,
        HealthModule,
        AuthModule,
        CatalogModule,
        AgenciesModule,
        CalendarModule,
        DocumentsModule,
        SignaturesModule,
        SigningModule,
        DossiersModule,
        PaymentsModule,
        FormsModule,
        OperationsModule,
        StatusNotificationsModule,
        DeadlinesModule,
        WebhooksModule,
        PortalSyncModule,
        RatingsModule,
        ReportsModule,
      ],
    };
  }
}
