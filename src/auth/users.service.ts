import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes, randomInt } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { hash, verify } from '@node-rs/argon2';
import { In, IsNull, QueryFailedError, Repository, type EntityManager } from 'typeorm';
import { Role, STAFF_ROLES, type AuthUser } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import { AppError } from '../common/errors.js';
import { AgencyDirectory } from './agency-directory.js';
import { CCCD_MESSAGES, checkCccd } from './cccd.js';
import type { CreateStaffDto, RegisterCitizenDto, UserView } from './dto/auth.dto.js';
import { RefreshToken } from './refresh-token.entity.js';
import { IdentityAssurance, IdentityMethod, User } from './user.entity.js';
import { AuthErrors } from './auth.errors.js';
import { AgencyErrors } from '../agencies/agencies.errors.js';

/** argon2id with OWASP's recommended minimum (19 MiB, 2 passes). */
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Username of a VNeID account created while an unverified password account held the CCCD as its username. */
export const VNEID_USERNAME_PREFIX = 'vneid.';

export function toUserView(u: User): UserView {
  const citizen = u.role === Role.CITIZEN;
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    fullName: u.fullName,
    agencyCode: u.agencyCode,
    idNumber: u.idNumber,
    dateOfBirth: u.dateOfBirth,
    phone: u.phone,
    email: u.email,
    identityAssurance: citizen ? u.identityAssurance : null,
    identityMethod: citizen ? u.identityMethod : null,
    identityVerifiedAt: citizen && u.identityVerifiedAt ? u.identityVerifiedAt.toISOString() : null,
  };
}

/**
 * A step of linking a citizen's unverified password account into their verified one, run in the
 * linking transaction: the capability owning some table moves what the old account owned.
 */
export type AccountMergeStep = (em: EntityManager, fromUserId: string, toUserId: string) => Promise<void>;

const NOT_VERIFIED = () => AuthErrors.IDENTITY_NOT_VERIFIED();

/** Accounts: citizens, staff and admins. Other capabilities read users through this service. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');
  private readonly mergeSteps: AccountMergeStep[] = [];
  /** Running average of a password hash's duration, so a refused registration takes as long as an accepted one. */
  private hashMs?: number;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(AgencyDirectory) private readonly agencies: AgencyDirectory,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async hashPassword(password: string): Promise<string> {
    const started = performance.now();
    const hashed = await hash(password, ARGON2);
    const ms = performance.now() - started;
    this.hashMs = this.hashMs === undefined ? ms : this.hashMs * 0.8 + ms * 0.2;
    return hashed;
  }

  /** Waits about as long as a password hash takes, without spending the CPU (and memory) of one. */
  private async waitLikeAHash(): Promise<void> {
    if (this.hashMs === undefined) await this.hashPassword(randomBytes(16).toString('hex'));
    else await sleep(Math.round(this.hashMs * (0.9 + randomInt(0, 200) / 1000)));
  }

  /** Adds a step to linkPasswordAccount (each capability that keeps per-account data registers its own). */
  registerAccountMergeStep(step: AccountMergeStep): void {
    this.mergeSteps.push(step);
  }

  async verifyPassword(user: User, password: string): Promise<boolean> {
    if (!user.passwordHash) return false;
    try {
      return await verify(user.passwordHash, password);
    } catch {
      return false;
    }
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username });
  }

  /** The active staff of one role at an agency (e.g. the leaders a centre's alerts go to). */
  activeStaff(agencyCode: string, role: Role): Promise<User[]> {
    return this.users.findBy({ agencyCode, role, active: true });
  }

  /** The citizen account whose CCCD is proven, if there is one (at most one per CCCD). */
  findVerifiedByIdNumber(idNumber: string): Promise<User | null> {
    return this.users.findOneBy({ idNumber, role: Role.CITIZEN, identityAssurance: IdentityAssurance.VERIFIED });
  }

  /**
   * Self-registration of a password account, UNVERIFIED: the CCCD is only typed in. The caller
   * gets the same answer whether or not the CCCD already has an account (so registration cannot be
   * used to learn who has one), and a taken CCCD is found before the expensive hash, with a wait
   * of the same length instead. Returns whether an account was created (for logs and tests only).
   */
  async registerCitizen(dto: RegisterCitizenDto): Promise<boolean> {
    const problem = checkCccd(dto.idNumber, dto.dateOfBirth);
    if (problem) throw AuthErrors.INVALID_ID_NUMBER(problem, [{ field: 'idNumber', message: CCCD_MESSAGES[problem] }]);
    if (await this.users.existsBy({ username: dto.idNumber })) {
      await this.waitLikeAHash();
      return false;
    }
    try {
      await this.insertUnique({
        username: dto.idNumber,
        idNumber: dto.idNumber,
        passwordHash: await this.hashPassword(dto.password),
        role: Role.CITIZEN,
        fullName: dto.fullName.trim(),
        dateOfBirth: dto.dateOfBirth,
        phone: dto.phone,
        email: dto.email ?? null,
        agencyCode: null,
        identityAssurance: IdentityAssurance.UNVERIFIED,
      });
      return true;
    } catch (e) {
      if (e instanceof AppError && e.code === 'ACCOUNT_EXISTS') return false; // a concurrent registration won
      throw e;
    }
  }

  /**
   * The citizen a VNeID login proves: the verified account for the CCCD, created on the first
   * login. An unverified password account carrying the same CCCD is never taken over: it may have
   * been registered by someone else. The new account then gets the username `vneid.<CCCD>`, and
   * the citizen may bring the old account's own dossiers over by proving its password
   * (linkPasswordAccount).
   */
  async findOrCreateCitizenFromIdentity(claims: { idNumber: string; fullName?: string; dateOfBirth?: string; phone?: string; email?: string }): Promise<User> {
    const existing = await this.findVerifiedByIdNumber(claims.idNumber);
    if (existing) return existing;
    const usernameTaken = await this.users.existsBy({ username: claims.idNumber });
    try {
      return await this.insertUnique({
        username: usernameTaken ? `${VNEID_USERNAME_PREFIX}${claims.idNumber}` : claims.idNumber,
        idNumber: claims.idNumber,
        passwordHash: null,
        role: Role.CITIZEN,
        fullName: claims.fullName?.trim() || claims.idNumber,
        dateOfBirth: claims.dateOfBirth ?? null,
        phone: claims.phone ?? null,
        email: claims.email ?? null,
        agencyCode: null,
        identityAssurance: IdentityAssurance.VERIFIED,
        identityMethod: IdentityMethod.VNEID,
        identityVerifiedAt: this.clock.now(),
      });
    } catch (e) {
      const raced = await this.findVerifiedByIdNumber(claims.idNumber);
      if (raced) return raced;
      throw e;
    }
  }

  /**
   * A one-stop officer checked the citizen's CCCD card at the desk against the account: the
   * account becomes VERIFIED (method DESK, with who and when). Refused when the number on the card
   * is not the account's, or when another account already holds the verified identity.
   */
  async verifyAtDesk(officer: AuthUser, username: string, idNumber: string, em?: EntityManager): Promise<User> {
    const users = em ? em.getRepository(User) : this.users;
    const user = await users.findOneBy({ username: username.trim().toLowerCase(), role: Role.CITIZEN });
    if (!user || !user.active) throw AuthErrors.ACCOUNT_NOT_FOUND([{ field: 'username', message: 'no active citizen account' }]);
    if (user.idNumber !== idNumber) {
      throw AuthErrors.ID_NUMBER_MISMATCH([{ field: 'idNumber', message: 'differs from the account' }]);
    }
    if (user.identityAssurance === IdentityAssurance.VERIFIED) return user;
    const holder = await this.findVerifiedByIdNumber(idNumber);
    const taken = () => AuthErrors.IDENTITY_ALREADY_VERIFIED([{ field: 'idNumber', message: 'already verified on another account' }]);
    if (holder) throw taken();
    try {
      await users.update(
        { id: user.id, identityAssurance: IdentityAssurance.UNVERIFIED },
        {
          identityAssurance: IdentityAssurance.VERIFIED,
          identityMethod: IdentityMethod.DESK,
          identityVerifiedAt: this.clock.now(),
          identityVerifiedBy: officer.id,
        },
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw taken();
      throw e;
    }
    this.logger.log({ userId: user.id, officerId: officer.id }, 'identity verified at the desk');
    return (await users.findOneBy({ id: user.id }))!;
  }

  /**
   * The unverified password account a verified citizen may link: the active citizen account whose
   * username is their CCCD (registered before their first VNeID login).
   */
  async linkablePasswordAccount(verified: User): Promise<User | null> {
    if (!verified.idNumber) return null;
    const old = await this.users.findOneBy({ username: verified.idNumber, role: Role.CITIZEN, identityAssurance: IdentityAssurance.UNVERIFIED, active: true });
    return old && old.id !== verified.id && old.idNumber === verified.idNumber && old.passwordHash ? old : null;
  }

  /**
   * Links the unverified password account into the caller's verified one, once the caller has
   * proven its password (checked by the caller, throttled like a login): in one transaction every
   * registered step moves what the old account owned (its own dossiers, its uploads), its sessions
   * end, it is deactivated, and the verified account takes over its username and password, so the
   * citizen may keep logging in either way.
   */
  async linkPasswordAccount(verified: User, old: User): Promise<User> {
    await this.users.manager.transaction(async (em) => {
      for (const step of this.mergeSteps) await step(em, old.id, verified.id);
      await em.update(RefreshToken, { userId: old.id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      await em.update(User, { id: old.id }, { active: false, username: `linked.${old.id}`, passwordHash: null });
      await em.update(
        User,
        { id: verified.id },
        {
          username: old.username,
          passwordHash: old.passwordHash,
          phone: verified.phone ?? old.phone,
          email: verified.email ?? old.email,
        },
      );
    });
    this.logger.log({ from: old.id, to: verified.id }, 'password account linked into the verified account');
    return (await this.findById(verified.id))!;
  }

  /** The caller's account if it is a verified citizen; IDENTITY_NOT_VERIFIED otherwise. */
  async requireVerifiedCitizen(id: string): Promise<User> {
    const me = await this.findById(id);
    if (!me || !me.active || me.role !== Role.CITIZEN || me.identityAssurance !== IdentityAssurance.VERIFIED) throw NOT_VERIFIED();
    return me;
  }

  /** Staff and admins, created by an admin (or the demo seed); staff need an agency that exists. */
  async createStaff(dto: CreateStaffDto): Promise<User> {
    if (dto.role === Role.CITIZEN || dto.role === Role.INTEGRATOR) {
      throw AuthErrors.INVALID_ROLE([{ field: 'role', message: 'one of RECEPTION_OFFICER, SPECIALIST, LEADER, ADMIN' }]);
    }
    const needsAgency = (STAFF_ROLES as readonly Role[]).includes(dto.role);
    if (needsAgency && !dto.agencyCode) {
      throw AuthErrors.AGENCY_REQUIRED([{ field: 'agencyCode', message: 'required for this role' }]);
    }
    if (dto.agencyCode && !(await this.agencies.exists(dto.agencyCode))) {
      throw AgencyErrors.UNKNOWN_AGENCY(dto.agencyCode, [{ field: 'agencyCode', message: 'no such agency' }]);
    }
    if (dto.username.startsWith(VNEID_USERNAME_PREFIX) || dto.username.startsWith('linked.')) {
      throw AuthErrors.RESERVED_USERNAME([{ field: 'username', message: 'reserved prefix' }]);
    }
    return this.insertUnique({
      username: dto.username,
      passwordHash: await this.hashPassword(dto.password),
      role: dto.role,
      fullName: dto.fullName.trim(),
      agencyCode: dto.agencyCode ?? null,
      idNumber: null,
      dateOfBirth: null,
      phone: dto.phone ?? null,
      email: dto.email ?? null,
    });
  }

  /**
   * The first admin, from ADMIN_USERNAME / ADMIN_PASSWORD. Created when no active admin exists.
   * When the password was given (`apply`; production always gives it) it is the admin's password
   * from then on: an admin `username` whose password differs gets it, and its sessions end (there
   * is no other way to set an admin's password, so this is also how it is changed or recovered);
   * a `username` that is no active admin, while other admins exist, is refused (the given
   * password would otherwise apply to nobody).
   */
  async ensureAdmin(username: string, password: string, apply = false): Promise<FirstAdminOutcome> {
    const named = await this.users.findOneBy({ username });
    if (!named) {
      const admins = await this.users.find({ where: { role: Role.ADMIN, active: true }, select: { username: true }, order: { username: 'ASC' }, take: 5 });
      if (admins.length > 0) return apply ? { kind: 'refused', reason: 'absent', admins: admins.map((a) => a.username) } : { kind: 'unchanged' };
      try {
        await this.users.insert({
          username,
          passwordHash: await this.hashPassword(password),
          role: Role.ADMIN,
          fullName: 'Quản trị hệ thống / Administrator',
          agencyCode: null,
        });
        return { kind: 'created' };
      } catch (e) {
        if (isUniqueViolation(e)) return { kind: 'unchanged' }; // another replica created it first
        throw e;
      }
    }
    if (!apply) return { kind: 'unchanged' };
    if (named.role !== Role.ADMIN) return { kind: 'refused', reason: 'not-admin', role: named.role };
    if (!named.active) return { kind: 'refused', reason: 'inactive' };
    if (await this.verifyPassword(named, password)) return { kind: 'unchanged' };
    const passwordHash = await this.hashPassword(password);
    await this.users.manager.transaction(async (em) => {
      await em.update(User, { id: named.id }, { passwordHash });
      await em.update(RefreshToken, { userId: named.id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    });
    this.logger.log({ userId: named.id }, 'first admin password set from ADMIN_PASSWORD');
    return { kind: 'password-applied' };
  }

  /** Marks an account the demo seed has just created (see User.demoAccount). */
  async markDemoAccount(username: string): Promise<void> {
    await this.users.update({ username }, { demoAccount: true });
  }

  /**
   * The active accounts that let someone in with credentials published with the code: those the
   * demo seed marked, and those among `published` whose password still is the published one. The
   * latter costs one hash check per existing account, so `published` is a short fixed list (the
   * README's accounts), never a search.
   */
  async openDemoAccounts(published: ReadonlyArray<{ username: string; password: string }>): Promise<Array<{ id: string; username: string }>> {
    const marked = await this.users.find({ where: { demoAccount: true, active: true }, select: { id: true, username: true } });
    const candidates = await this.users.find({ where: { username: In(published.map((p) => p.username)), active: true } });
    const found = new Map(marked.map((u) => [u.id, { id: u.id, username: u.username }]));
    for (const u of candidates) {
      if (found.has(u.id)) continue;
      const { password } = published.find((p) => p.username === u.username)!;
      if (await this.verifyPassword(u, password)) found.set(u.id, { id: u.id, username: u.username });
    }
    return [...found.values()].sort((a, b) => a.username.localeCompare(b.username));
  }

  /**
   * Accounts that may no longer log in, in one transaction: deactivated, their password removed and
   * their sessions ended. Their dossiers, history and the rows that name them stay as they are.
   */
  async deactivateAccounts(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.users.manager.transaction(async (em) => {
      await em.update(User, { id: In(ids) }, { active: false, passwordHash: null });
      await em.update(RefreshToken, { userId: In(ids), revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    });
    this.logger.log({ userIds: ids }, 'accounts deactivated');
  }

  private async insertUnique(values: Partial<User>): Promise<User> {
    try {
      return await this.users.save(this.users.create(values));
    } catch (e) {
      if (isUniqueViolation(e)) {
        const field = values.idNumber ? 'idNumber' : 'username';
        throw AuthErrors.ACCOUNT_EXISTS([{ field, message: 'already registered' }]);
      }
      throw e;
    }
  }
}

/** What ensureAdmin did with ADMIN_USERNAME / ADMIN_PASSWORD. */
export type FirstAdminOutcome =
  | { kind: 'created' | 'password-applied' | 'unchanged' }
  | { kind: 'refused'; reason: 'absent'; admins: string[] }
  | { kind: 'refused'; reason: 'not-admin'; role: Role }
  | { kind: 'refused'; reason: 'inactive' };

export function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e as { code?: string }).code === '23505';
}
