import { Module } from '@nestjs/common';
import { DossierRecords } from './dossier-records.js';
import { SequenceAllocator } from './sequence-allocator.js';

/**
 * The dossier record (floor 1): the readers capabilities above use, and the per-agency day
 * sequence of dossier codes. The journal (locks, the chained history) is plain functions on the
 * caller's transaction, in journal.ts.
 */
@Module({
  providers: [DossierRecords, SequenceAllocator],
  exports: [DossierRecords, SequenceAllocator],
})
export class DossierRecordModule {}
