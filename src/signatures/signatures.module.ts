import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DocumentsModule } from '../documents/documents.module.js';
import { PublishedCrls, PublishedCrlsController } from './trust/published-crls.js';
import { FileSignatureReport } from './verification/signature-report.entity.js';
import { FileSignaturesController, TrustAnchorsController } from './verification/signatures.controller.js';
import { SignatureVerifications } from './verification/signature-verifications.js';
import { TrustAnchor } from './trust/trust-anchor.entity.js';
import { TrustStore } from './trust/trust-store.js';

/**
 * Digital signatures on uploaded documents: the trust store, the background verifier and what it
 * found. Dossiers read attachments' summaries through SignatureVerifications.
 */
@Module({
  imports: [DocumentsModule, TypeOrmModule.forFeature([FileSignatureReport, TrustAnchor])],
  controllers: [FileSignaturesController, TrustAnchorsController, PublishedCrlsController],
  providers: [SignatureVerifications, TrustStore, PublishedCrls],
  exports: [SignatureVerifications, TrustStore],
})
export class SignaturesModule {}
