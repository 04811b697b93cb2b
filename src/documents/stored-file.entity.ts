import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AuthUser } from '../common/auth-context.js';

/**
 * An uploaded file: who sent it, what it is, and where its content is stored. The content itself
 * lives in FileStorage under `storageKey`; `sha256` and `size` are checked each time it is read.
 */
@Entity('stored_files')
@Index(['ownerKind', 'ownerId'])
export class StoredFile {
  /** Chosen by the service before the content is stored, since the storage key derives from it. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** A user id or an API key id, per `ownerKind`; not a foreign key, as the two live in different tables. */
  @Column({ type: 'varchar', length: 64 })
  ownerId: string;

  @Column({ type: 'varchar', length: 16 })
  ownerKind: AuthUser['kind'];

  @Column({ type: 'char', length: 64 })
  sha256: string;

  /** Bytes; FILE_MAX_BYTES is at most 1 GiB, well inside an integer. */
  @Column({ type: 'integer' })
  size: number;

  /** Detected from the content, never taken from the client. */
  @Column({ type: 'varchar', length: 100 })
  contentType: string;

  /** Sanitised, with an extension that agrees with the content. */
  @Column({ type: 'varchar', length: 255 })
  fileName: string;

  @Column({ type: 'varchar', length: 255 })
  storageKey: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
