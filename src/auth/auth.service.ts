import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Role, type AuthUser } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import type { TokenPair } from './dto/auth.dto.js';
import { LoginThrottle } from './login-throttle.js';
import { RefreshToken } from './refresh-token.entity.js';
import { safeEqualHex, sha256Hex as sha256 } from './secret-hash.js';
import { IdentityAssurance, User } from './user.entity.js';
import { toUserView, UsersService } from './users.service.js';
import { AuthErrors } from './auth.errors.js';

/** Claims of our access tokens. */
export interface AccessClaims {
  sub: string;
  username: string;
  role: User['role'];
  agencyCode?: string | null;
  idNumber?: string | null;
  name?: string;
  /** Citizens: the CCCD is proven (identity assurance VERIFIED). */
  idv?: boolean;
}

const INVALID_LOGIN = () => AuthErrors.INVALID_CREDENTIALS();
const INVALID_REFRESH = () => AuthErrors.INVALID_REFRESH_TOKEN();

/** Logins, access tokens and refresh-token families. */
@Injectable()
export class AuthService {
  /** A hash to verify against when the user does not exist, so timing does not reveal it. */
  private dummyHash?: Promise<string>;

  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
  ) {}

  /** Password login, throttled per account and per client (see LoginThrottle) before the check. */
  async login(username: string, password: string, clientIp: string | undefined): Promise<TokenPair> {
    // Usernames are stored in lower case (staff) or are digits (citizens' CCCD).
    const name = username.trim().toLowerCase();
    const attempt = await this.throttle.begin(name, clientIp);
    const user = await this.users.findByUsername(name);
    if (!user || !user.active || !user.passwordHash) {
      this.dummyHash ??= this.users.hashPassword(randomBytes(16).toString('hex'));
      await this.users.verifyPassword({ passwordHash: await this.dummyHash } as User, password);
      await attempt.failed();
      throw INVALID_LOGIN();
    }
    if (!(await this.users.verifyPassword(user, password))) {
      await attempt.failed();
      throw INVALID_LOGIN();
    }
    await attempt.succeeded();
    return this.issue(user, undefined);
  }

  /**
   * A verified citizen links the unverified password account registered with their CCCD, proving
   * its password in this (VNeID-authenticated) session; throttled like a login of that account.
   */
  async linkPasswordAccount(caller: AuthUser, password: string, clientIp: string | undefined): Promise<User> {
    const me = await this.users.requireVerifiedCitizen(caller.id);
    const old = await this.users.linkablePasswordAccount(me);
    if (!old) throw AuthErrors.NO_PASSWORD_ACCOUNT();
    const attempt = await this.throttle.begin(old.username, clientIp);
    if (!(await this.users.verifyPassword(old, password))) {
      await attempt.failed();
      throw INVALID_LOGIN();
    }
    await attempt.succeeded();
    return this.users.linkPasswordAccount(me, old);
  }

  /** Tokens for a user authenticated elsewhere (VNeID). */
  issueFor(user: User): Promise<TokenPair> {
    return this.issue(user, undefined);
  }

  /**
   * Rotates a refresh token: the presented one is used up and the next of its family returned.
   * A token presented a second time revokes its whole family (every session descending from that
   * login), since either the client or a thief holds a copy.
   */
  async refresh(presented: string): Promise<TokenPair> {
    const parsed = parseRefreshToken(presented);
    if (!parsed) throw INVALID_REFRESH();
    const now = this.clock.now();
    const row = await this.tokens.findOneBy({ id: parsed.id });
    if (!row || !safeEqualHex(row.secretHash, sha256(parsed.secret))) throw INVALID_REFRESH();
    if (row.revokedAt || row.expiresAt <= now) throw INVALID_REFRESH();
    // Claim the token atomically: of two concurrent refreshes with one token, one wins.
    const claimed = await this.tokens.update({ id: row.id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: now });
    if (!claimed.affected) {
      await this.revokeFamily(row.familyId);
      throw AuthErrors.REFRESH_TOKEN_REUSED();
    }
    const user = await this.users.findById(row.userId);
    if (!user || !user.active) throw INVALID_REFRESH();
    return this.issue(user, row.familyId);
  }

  /** Ends the login the refresh token belongs to (its whole family). Unknown tokens are ignored. */
  async logout(presented: string): Promise<void> {
    const parsed = parseRefreshToken(presented);
    if (!parsed) return;
    const row = await this.tokens.findOneBy({ id: parsed.id });
    if (row && safeEqualHex(row.secretHash, sha256(parsed.secret))) await this.revokeFamily(row.familyId);
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  private async issue(user: User, familyId: string | undefined): Promise<TokenPair> {
    const claims: AccessClaims = {
      sub: user.id,
      username: user.username,
      role: user.role,
      agencyCode: user.agencyCode,
      idNumber: user.idNumber,
      name: user.fullName,
    };
    if (user.role === Role.CITIZEN) claims.idv = user.identityAssurance === IdentityAssurance.VERIFIED;
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.accessTtlSeconds });
    const secret = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const row = await this.tokens.save(
      this.tokens.create({
        userId: user.id,
        familyId: familyId ?? (await this.newFamilyId()),
        secretHash: sha256(secret),
        expiresAt: new Date(now.getTime() + this.config.refreshTtlSeconds * 1000),
      }),
    );
    return { accessToken, refreshToken: `${row.id}.${secret}`, tokenType: 'Bearer', expiresIn: this.config.accessTtlSeconds, user: toUserView(user) };
  }

  private async newFamilyId(): Promise<string> {
    const [{ id }] = await this.tokens.query('SELECT gen_random_uuid() AS id');
    return id;
  }
}

function parseRefreshToken(token: string): { id: string; secret: string } | null {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,})$/.exec(token);
  return m ? { id: m[1], secret: m[2] } : null;
}
