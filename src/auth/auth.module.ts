import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { AppConfig } from '../config/app-config.js';
import { AgencyDirectory } from './agency-directory.js';
import { AdminUsersController, AuthController } from './auth.controller.js';
import { GlobalAuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { JwtStrategy } from './jwt.strategy.js';
import { RefreshToken } from './refresh-token.entity.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, RefreshToken]),
    AgenciesModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, signOptions: { algorithm: 'HS256', issuer: 'motcua' }, verifyOptions: { algorithms: ['HS256'], issuer: 'motcua' } }),
    }),
  ],
  controllers: [AuthController, AdminUsersController],
  providers: [
    UsersService,
    AuthService,
    JwtStrategy,
    { provide: APP_GUARD, useClass: GlobalAuthGuard },
    {
      provide: AgencyDirectory,
      inject: [AgenciesService],
      useFactory: (agencies: AgenciesService): AgencyDirectory => ({ exists: async (code) => (await agencies.findByCode(code)) !== null }),
    },
  ],
  exports: [UsersService, AuthService],
})
export class AuthModule {}
