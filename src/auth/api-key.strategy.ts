import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import type { AuthUser } from '../common/auth-context.js';
import { ApiKeysService } from './api-keys.service.js';
import { CommonErrors } from '../common/common.errors.js';

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
    try {
      return await this.keys.authenticate(presented.trim());
    } catch {
      // The database did not answer: say so, rather than 401, which an integrator would read as
      // "my key was revoked".
      throw CommonErrors.SERVICE_UNAVAILABLE('Dịch vụ tạm thời không sẵn sàng', 'Service temporarily unavailable');
    }
  }
}
