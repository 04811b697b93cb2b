import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DeadlinesModule } from '../deadlines/deadlines.module.js';
import { DossierRecordModule } from '../dossier-record/dossier-record.module.js';
import { FormsController } from './forms.controller.js';
import { FormsService } from './forms.service.js';

@Module({
  imports: [DossierRecordModule, CatalogModule, AgenciesModule, DeadlinesModule, AuthModule],
  controllers: [FormsController],
  providers: [FormsService],
})
export class FormsModule {}
