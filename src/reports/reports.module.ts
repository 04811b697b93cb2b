import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { IndicatorsService } from './indicators.service.js';
import { ReportFactsService } from './report-facts.service.js';
import { PublicReportsController, ReportsController } from './reports.controller.js';
import { CatalogModule } from '../catalog/catalog.module.js';

/** Decision 766's figures: the facts kept from the outbox, the indicator engine and its routes (issue 15). */
@Module({
  imports: [AgenciesModule, CatalogModule],
  controllers: [ReportsController, PublicReportsController],
  providers: [ReportFactsService, IndicatorsService],
  exports: [IndicatorsService, ReportFactsService],
})
export class ReportsModule {}
