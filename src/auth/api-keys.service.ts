import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { Role, type AuthUser } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import { AgencyDirectory } from './agency-directory.js';
import { ApiKey } from './api-key.entity.js';
import { formatApiKey, newApiKeySecret, parseApiKey } from './api-key-format.js';
import type { ApiKeyView, CreateApiKeyDto, CreatedApiKey } from './dto/api-key.dto.js';
import { safeEqualHex, sha256Hex } from './secret-hash.js';
import { AuthErrors } from './auth.errors.js';
import { AgencyErrors } from '../agencies/agencies.errors.js';

/** lastUsedAt is refreshed at most this often per key: one write a minute, not one per call. */
export const LAST_USED_RESOLUTION_MS = 60_000;

function toView(k: ApiKey): ApiKeyView {
  return { id: k.id, name: k.name, scopes: k.scopes, agencyCodes: k.agencyCodes, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt };
}

/** Integrators' API keys: issued and revoked by admins, checked on every X-API-Key call. */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @Inject(AgencyDirectory) private readonly agencies: AgencyDirectory,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async create(dto: CreateApiKeyDto, createdBy: string | null): Promise<CreatedApiKey> {
    const agencyCodes = dto.agencyCodes ?? [];
    for (const [i, code] of agencyCodes.entries()) {
      if (!(await this.agencies.exists(code))) {
        throw AgencyErrors.UNKNOWN_AGENCY(code, [{ field: `agencyCodes[${i}]`, message: 'no such agency' }]);
      }
    }
    const secret = newApiKeySecret();
    const row = await this.keys.save(
      this.keys.create({
        id: randomUUID(),
        name: dto.name.trim(),
        secretHash: sha256Hex(secret),
        scopes: dto.scopes,
        agencyCodes,
        createdBy,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return { ...toView(row), key: formatApiKey(row.id, secret) };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.find({ order: { createdAt: 'DESC' } })).map(toView);
  }

  /** Revokes a key at once (the next call with it gets 401). Revoking twice is harmless. */
  async revoke(id: string): Promise<void> {
    const done = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
    if (!done.affected && !(await this.keys.existsBy({ id }))) {
      throw AuthErrors.API_KEY_NOT_FOUND();
    }
  }

  /**
   * The caller a presented key stands for, or null when it is malformed, unknown, wrong or
   * revoked. Looked up in PostgreSQL on every call (by primary key) rather than cached, so a
   * revocation takes effect at once on every replica.
   */
  async authenticate(presented: string): Promise<AuthUser | null> {
    const parsed = parseApiKey(presented);
    if (!parsed) return null;
    const key = await this.keys.findOneBy({ id: parsed.id });
    if (!key || key.revokedAt || !safeEqualHex(key.secretHash, sha256Hex(parsed.secret))) return null;
    await this.touch(key);
    return { kind: 'api-key', id: key.id, username: key.name, fullName: key.name, role: Role.INTEGRATOR, scopes: key.scopes, agencyCodes: key.agencyCodes };
  }

  private async touch(key: ApiKey): Promise<void> {
    const now = this.clock.now();
    if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    // The condition is repeated in SQL so that concurrent calls from many replicas write once.
    await this.keys
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: now })
      .where('id = :id AND (last_used_at IS NULL OR last_used_at < :cutoff)', { id: key.id, cutoff: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) })
      .execute();
  }
}
