import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../common/auth-context.js';
import { AppConfig } from '../config/app-config.js';
import type { AccessClaims } from './auth.service.js';

/**
 * Bearer access tokens. They are short-lived and stateless: a deactivated account keeps access for
 * at most JWT_ACCESS_TTL_SECONDS, while its refresh tokens stop working at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(AppConfig) config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse
      // it as a PEM public key on every request, which was a fifth of the API's CPU under load.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as Buffer, // the typings lag: jsonwebtoken takes a KeyObject
      algorithms: ['HS256'],
      issuer: 'motcua',
      ignoreExpiration: false,
    });
  }

  validate(claims: AccessClaims): AuthUser {
    return {
      kind: 'user',
      id: claims.sub,
      username: claims.username,
      role: claims.role,
      agencyCode: claims.agencyCode ?? null,
      idNumber: claims.idNumber ?? null,
      fullName: claims.name,
      identityVerified: claims.idv === true,
    };
  }
}
