import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../../auth/auth.module.js';
import { AppConfig } from '../../config/app-config.js';
import { DocumentsModule } from '../../documents/documents.module.js';
import { SignaturesModule } from '../signatures.module.js';
import { LocalSigningProvider } from './local-signing-provider.js';
import { RemoteSigningProvider } from './remote-signing-provider.js';
import { ResultSigning } from './result-signing.entity.js';
import { ResultSigningService } from './result-signing.service.js';
import { SignedCallbackGuard } from './callback-signature.js';
import { SigningController } from './signing.controller.js';
import { SigningProvider } from './signing-provider.js';

/** Signing approved results: the provider chosen by SIGNING_PROVIDER, the worker, the remote callback. */
@Module({
  imports: [AuthModule, DocumentsModule, SignaturesModule, TypeOrmModule.forFeature([ResultSigning])],
  controllers: [SigningController],
  providers: [
    ResultSigningService,
    SignedCallbackGuard,
    {
      provide: SigningProvider,
      inject: [AppConfig],
      useFactory: (config: AppConfig): SigningProvider =>
        config.signing.provider === 'remote'
          ? new RemoteSigningProvider(config.signing.remoteUrl!, config.signing.remoteToken, `${config.publicBaseUrl}/api/v1/signing/callbacks`)
          : new LocalSigningProvider(config.signing.keysDir, config.signing.keysPassword),
    },
  ],
  exports: [ResultSigningService],
})
export class SigningModule {}
