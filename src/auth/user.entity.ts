import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Role } from '../common/auth-context.js';

/** A person who logs in: a citizen (username = CCCD) or a staff member of one agency. */
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  username: string;

  /** argon2id; null for accounts that only log in through VNeID (OpenID Connect). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  @Column({ type: 'varchar', length: 32 })
  role: Role;

  @Column({ type: 'varchar', length: 200 })
  fullName: string;

  /** Staff: the agency they work for (QCVN 102 id). */
  @Index()
  @Column({ type: 'varchar', length: 32, nullable: true })
  agencyCode: string | null;

  /** Citizens: 12-digit CCCD, unique. */
  @Index({ unique: true, where: '"id_number" IS NOT NULL' })
  @Column({ type: 'varchar', length: 12, nullable: true })
  idNumber: string | null;

  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
