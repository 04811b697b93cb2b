import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { DossiersController } from './dossiers.controller.js';
import { DossiersService } from './dossiers.service.js';
import { SequenceAllocator } from './sequence-allocator.js';

@Module({
  imports: [AuthModule, AgenciesModule, CatalogModule, DocumentsModule],
  controllers: [DossiersController],
  providers: [DossiersService, SequenceAllocator],
  exports: [DossiersService],
})
export class DossiersModule {}
