import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { FileStorage } from './file-storage.js';
import { FilesController } from './files.controller.js';
import { FilesService } from './files.service.js';
import { LocalDiskStorage } from './local-disk-storage.js';
import { S3Storage } from './s3-storage.js';
import { StoredFile } from './stored-file.entity.js';
import { ReceiveUploadInterceptor } from './upload.interceptor.js';

/**
 * Uploaded documents: storage, type checks, ownership. Other capabilities use FilesService (e.g.
 * dossiers check attachments with ownedIds and grant officers access with registerReadPolicy).
 */
@Module({
  imports: [TypeOrmModule.forFeature([StoredFile])],
  controllers: [FilesController],
  providers: [
    FilesService,
    ReceiveUploadInterceptor,
    // STORAGE_DRIVER: a local folder, or an S3 bucket that replicas share (its reachability is
    // checked when the application initialises).
    {
      provide: FileStorage,
      inject: [AppConfig],
      useFactory: (config: AppConfig): FileStorage => (config.s3 ? S3Storage.fromSettings(config.s3) : new LocalDiskStorage(config.filesDir)),
    },
  ],
  exports: [FilesService],
})
export class DocumentsModule {}
