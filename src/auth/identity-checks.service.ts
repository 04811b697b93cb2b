import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-context.js';
import { Clock, vietnamDate } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { AuthErrors } from './auth.errors.js';
import { CCCD_MESSAGES, checkCccd } from './cccd.js';
import type { IdentityCheckDto, IdentityCheckView } from './dto/auth.dto.js';
import type { IdentityCheckMethod } from './identity-check.entity.js';
import { toUserView, UsersService } from './users.service.js';

/** The first 12-digit CCCD cards were issued on 1/1/2016 (Law on Citizen Identification 2014). */
const FIRST_CARD_DAY = '2016-01-01';

/** A card check as the capability that records it is told (in the check's own transaction). */
export interface RecordedIdentityCheck {
  id: string;
  idNumber: string;
  cardIssuedOn: string;
  method: IdentityCheckMethod;
  officer: AuthUser;
  checkedAt: Date;
  accountVerified: boolean;
}

/** Another capability's step when a card check is recorded, e.g. writing it into the person's access log. */
export type IdentityCheckListener = (em: EntityManager, check: RecordedIdentityCheck) => Promise<void>;

interface CheckRow {
  id: string;
  id_number: string;
  officer_id: string;
  checked_at: Date;
  used_by_dossier_id: string | null;
}

/**
 * Desk checks of identity cards (table `identity_checks`): what an officer saw of the card, and
 * the one filing each check proves. A typed-in CCCD proves nothing; a check does, for the filing
 * that references it, by the officer who made it, while it is recent.
 */
@Injectable()
export class IdentityChecksService {
  private readonly listeners: IdentityCheckListener[] = [];

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  /** Registers a step run in every check's transaction (call it from a provider's onModuleInit). */
  onRecorded(listener: IdentityCheckListener): void {
    this.listeners.push(listener);
  }

  /**
   * POST /auth/identity-checks: records the check and, when a username is given, verifies that
   * account (the card's number must be the account's), in one transaction.
   */
  async record(officer: AuthUser, dto: IdentityCheckDto): Promise<IdentityCheckView> {
    const problem = checkCccd(dto.idNumber);
    if (problem) throw AuthErrors.INVALID_ID_NUMBER(problem, [{ field: 'idNumber', message: CCCD_MESSAGES[problem] }]);
    const now = this.clock.now();
    const today = vietnamDate(now);
    if (dto.issuedOn > today || dto.issuedOn < FIRST_CARD_DAY) {
      throw AuthErrors.CARD_ISSUE_DATE_INVALID([{ field: 'issuedOn', message: `between ${FIRST_CARD_DAY} and today (${today})` }]);
    }
    const method = dto.method ?? 'CARD_SHOWN';
    const agencyCode = officer.agencyCode ?? null;
    return this.db.transaction(async (em) => {
      const account = dto.username ? await this.users.verifyAtDesk(officer, dto.username, dto.idNumber, em) : null;
      const [{ id }] = (await em.query(
        `INSERT INTO identity_checks (id_number, card_issued_on, method, officer_id, agency_code, checked_at, account_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [dto.idNumber, dto.issuedOn, method, officer.id, agencyCode, now, account?.id ?? null],
      )) as Array<{ id: string }>;
      const recorded = { id, idNumber: dto.idNumber, cardIssuedOn: dto.issuedOn, method, officer, checkedAt: now, accountVerified: !!account };
      for (const listener of this.listeners) await listener(em, recorded);
      return {
        id,
        idNumber: dto.idNumber,
        cardIssuedOn: dto.issuedOn,
        method,
        officer: { id: officer.id, fullName: officer.fullName ?? officer.username },
        agencyCode,
        checkedAt: now.toISOString(),
        usableUntil: new Date(now.getTime() + this.maxAgeMs()).toISOString(),
        usedByDossierId: null,
        account: account ? toUserView(account) : null,
      };
    });
  }

  /**
   * Before a filing is written: the check it references proves its applicant only if this officer
   * made it, for this CCCD, recently, and no other filing used it.
   */
  async assertUsableForFiling(officer: AuthUser, checkId: string, applicantIdNumber: string): Promise<void> {
    const [row]: CheckRow[] = await this.db.query('SELECT id, id_number, officer_id, checked_at, used_by_dossier_id FROM identity_checks WHERE id = $1', [
      checkId,
    ]);
    const field = 'identityCheckId';
    if (!row || row.officer_id !== officer.id) throw AuthErrors.UNKNOWN_IDENTITY_CHECK([{ field, message: 'no such check recorded by you' }]);
    if (row.id_number !== applicantIdNumber)
      throw AuthErrors.IDENTITY_CHECK_MISMATCH([{ field, message: 'the card checked carries another number than applicant.idNumber' }]);
    if (row.used_by_dossier_id) throw AuthErrors.IDENTITY_CHECK_USED([{ field, message: 'already proved another filing' }]);
    const age = this.clock.now().getTime() - new Date(row.checked_at).getTime();
    if (age > this.maxAgeMs()) {
      throw AuthErrors.IDENTITY_CHECK_EXPIRED(this.config.identityChecks.maxAgeMinutes, [
        { field, message: `checked at ${new Date(row.checked_at).toISOString()}` },
      ]);
    }
  }

  /** In the filing's transaction: the check now proves this dossier, and no other (a concurrent filing loses). */
  async claim(em: EntityManager, checkId: string, dossierId: string, now: Date): Promise<void> {
    // A CTE, so the statement answers rows (a bare UPDATE … RETURNING answers [rows, count] through TypeORM).
    const claimed: unknown[] = await em.query(
      'WITH c AS (UPDATE identity_checks SET used_by_dossier_id = $2, used_at = $3 WHERE id = $1 AND used_by_dossier_id IS NULL RETURNING id) SELECT id FROM c',
      [checkId, dossierId, now],
    );
    if (claimed.length === 0) throw AuthErrors.IDENTITY_CHECK_USED([{ field: 'identityCheckId', message: 'already proved another filing' }]);
  }

  /** Whether a card check of this CCCD proved the filing of this dossier. */
  async proves(em: EntityManager, dossierId: string, idNumber: string): Promise<boolean> {
    const rows: unknown[] = await em.query('SELECT 1 FROM identity_checks WHERE used_by_dossier_id = $1 AND id_number = $2', [dossierId, idNumber]);
    return rows.length > 0;
  }

  private maxAgeMs(): number {
    return this.config.identityChecks.maxAgeMinutes * 60_000;
  }
}
