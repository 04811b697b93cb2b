import { Module } from '@nestjs/common';
import { DossierRecordModule } from '../dossier-record/dossier-record.module.js';
import { RatingsController } from './ratings.controller.js';
import { RatingsService } from './ratings.service.js';

/** Citizens' satisfaction ratings and complaints of their dossiers (issue 15): the owner of dossier_ratings and dossier_complaints. */
@Module({
  imports: [DossierRecordModule],
  controllers: [RatingsController],
  providers: [RatingsService],
  exports: [RatingsService],
})
export class RatingsModule {}
