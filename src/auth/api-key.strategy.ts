import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import type { AuthUser } from '../common/auth-context.js';
import { ApiKeysService } from './api-keys.service.js';

export const API_KEY_HEADER = 'x-api-key';

/** Integrators authenticate with the `X-API-Key` header (see ApiKeysService for the key's form). */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {
    super();
  }

  async validate(req: Request): Promise<AuthUser | null> {
    const presented = req.headers[API_KEY_HEADER];
    if (typeof presented !== 'string' || !presented) return null;
    return this.keys.authenticate(presented.trim());
  }
}
