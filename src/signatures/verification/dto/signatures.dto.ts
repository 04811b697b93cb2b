import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { FileSignatureReport } from '../signature-report.entity.js';
import type { DocumentReport } from '../../report.js';

export class FileSignaturesView {
  @ApiProperty({ format: 'uuid' }) fileId: string;
  @ApiProperty({
    enum: ['PENDING', 'VERIFIED', 'UNVERIFIED'],
    description: 'PENDING until the worker has verified the file; UNVERIFIED for files never submitted to verification',
  })
  state: 'PENDING' | 'VERIFIED' | 'UNVERIFIED';
  @ApiProperty({
    nullable: true,
    enum: ['TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE', 'NO_SIGNATURE_FOUND'],
    description: 'ETSI EN 319 102-1 indication of the document (the worst of its signatures)',
  })
  indication: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'HASH_FAILURE' }) subIndication: string | null;
  @ApiProperty({ description: 'An INDETERMINATE result (CRL unavailable) that will be verified again' }) retrying: boolean;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) verifiedAt: string | null;
  @ApiProperty({
    nullable: true,
    description:
      'The full report: every signature with indication, sub-indication, signer (name, CCCD, tax code), certificate (issuer, serial), signing time, algorithms, PDF revision coverage and later changes, and the evidence (chain, CRLs)',
    type: 'object',
    additionalProperties: true,
  })
  report: DocumentReport | null;
}

export function toSignaturesView(fileId: string, row: FileSignatureReport | null): FileSignaturesView {
  if (!row) return { fileId, state: 'UNVERIFIED', indication: null, subIndication: null, retrying: false, attempts: 0, verifiedAt: null, report: null };
  return {
    fileId,
    state: row.state,
    indication: row.indication,
    subIndication: row.subIndication,
    retrying: row.retrying,
    attempts: row.attempts,
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    report: row.report,
  };
}

export class AddTrustAnchorDto {
  @ApiProperty({ description: 'One X.509 CA certificate in PEM (-----BEGIN CERTIFICATE----- …)' })
  @IsString()
  @MinLength(60)
  @MaxLength(20000)
  pem: string;

  @ApiPropertyOptional({ example: 'Root CA Bộ TT&TT (NEAC)', description: 'A name for people' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;
}

export class TrustAnchorViewDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Null for certificates from SIGNATURE_TRUST_DIR' }) id: string | null;
  @ApiProperty({ enum: ['DIRECTORY', 'ADMIN'] }) source: 'DIRECTORY' | 'ADMIN';
  @ApiProperty({ type: String, nullable: true }) file: string | null;
  @ApiProperty({ type: String, nullable: true }) label: string | null;
  @ApiProperty() sha256: string;
  @ApiProperty() subject: string;
  @ApiProperty() issuer: string;
  @ApiProperty() serialNumber: string;
  @ApiProperty({ format: 'date-time' }) notBefore: string;
  @ApiProperty({ format: 'date-time' }) notAfter: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) createdAt: string | null;
}
