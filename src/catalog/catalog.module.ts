import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogController } from './catalog.controller.js';
import { CatalogService } from './catalog.service.js';
import { Procedure, ProcedureRevision } from './procedure.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([Procedure, ProcedureRevision])],
  controllers: [CatalogController],
  providers: [CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
