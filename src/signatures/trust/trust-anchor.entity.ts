import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A certificate an admin added to the trust store through the API (those in SIGNATURE_TRUST_DIR
 * are read from the folder and never stored here). Identified by the SHA-256 of its DER.
 */
@Entity('trust_anchors')
@Index('uq_trust_anchors_sha256', ['sha256'], { unique: true })
export class TrustAnchor {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'bytea' })
  der: Buffer;

  @Column({ type: 'varchar', length: 1000 })
  subject: string;

  @Column({ type: 'varchar', length: 1000 })
  issuer: string;

  @Column({ type: 'timestamptz' })
  notAfter: Date;

  /** What the admin called it, e.g. "Root CA Bộ TT&TT (NEAC) 2019". */
  @Column({ type: 'varchar', length: 200, nullable: true })
  label: string | null;

  @Column({ type: 'uuid', nullable: true })
  addedBy: string | null;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
