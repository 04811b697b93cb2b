import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { IndicatorsService } from './indicators.service.js';
import { PublicFiguresService } from './public-figures.service.js';
import { ReportFactsService } from './report-facts.service.js';
import { ReportRollupService } from './report-rollup.service.js';
import { ReportsDatabase } from './reports-database.js';
import { PublicReportsController, ReportsController } from './reports.controller.js';
import { CatalogModule } from '../catalog/catalog.module.js';

/**
 * Decision 766's figures: the facts kept from the outbox, the indicator engine and its routes
 * (issue 15); the reports' own pool, the public figures' monthly rollup and their route (issue 20).
 */
@Module({
  imports: [AgenciesModule, CatalogModule],
  controllers: [ReportsController, PublicReportsController],
  providers: [ReportsDatabase, ReportFactsService, ReportRollupService, IndicatorsService, PublicFiguresService],
  exports: [IndicatorsService, ReportFactsService, ReportRollupService, PublicFiguresService, ReportsDatabase],
})
export class ReportsModule {}
