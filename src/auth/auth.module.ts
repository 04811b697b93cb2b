import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { AppConfig } from '../config/app-config.js';
import { AgencyDirectory } from './agency-directory.js';
import { ApiKey } from './api-key.entity.js';
import { ApiKeyStrategy } from './api-key.strategy.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { AdminUsersController, AuthController } from './auth.controller.js';
import { GlobalAuthGuard } from './auth.guard.js';
import { IdentityCheck } from './identity-check.entity.js';
import { IdentityChecksService } from './identity-checks.service.js';
import { AuthService } from './auth.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { LoginThrottle } from './login-throttle.js';
import { OidcController } from './oidc.controller.js';
import { OidcService } from './oidc.service.js';
import { RateLimitGuard } from './rate-limit.js';
import { RefreshToken } from './refresh-token.entity.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, RefreshToken, ApiKey, IdentityCheck]),
    AgenciesModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', issuer: 'motcua' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'motcua' },
      }),
    }),
  ],
  controllers: [AuthController, OidcController, AdminUsersController, ApiKeysController],
  providers: [
    UsersService,
    IdentityChecksService,
    AuthService,
    LoginThrottle,
    OidcService,
    ApiKeysService,
    JwtStrategy,
    ApiKeyStrategy,
    // Global guards run in this order: the rate limit first, so unauthenticated floods count too.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: GlobalAuthGuard },
    {
      provide: AgencyDirectory,
      inject: [AgenciesService],
      useFactory: (agencies: AgenciesService): AgencyDirectory => ({ exists: async (code) => (await agencies.findByCode(code)) !== null }),
    },
  ],
  exports: [UsersService, AuthService, IdentityChecksService],
})
export class AuthModule {}
