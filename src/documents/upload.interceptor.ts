import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import type { AuthUser } from '../common/auth-context.js';
import { DEFAULT_JSON_MAX_DEPTH, inspectJson, invalidText, unstorableText } from '../common/body-depth.js';
import { AppError } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { fileTooLarge, invalidUpload, tooManyFiles, unknownUploadField, UPLOAD_FIELD } from './files.errors.js';
import { FilesService, type ReceivedContent } from './files.service.js';

/** What the route handler finds in `@UploadedFile()`: multer's description plus the stored content. */
export interface ReceivedUpload extends Express.Multer.File {
  received: ReceivedContent;
}

/**
 * A multer storage engine that hands the file part to FilesService.receive, which streams it into
 * FileStorage through the type and size checks: no temporary copy, no 20 MB buffers in memory.
 */
class ReceivingEngine implements multer.StorageEngine {
  constructor(private readonly files: FilesService) {}

  _handleFile(_req: Request, file: Express.Multer.File, done: (error?: unknown, info?: Partial<ReceivedUpload>) => void): void {
    // The name is stored sanitised, but a NUL in it is how "evil.php\0.pdf" tricks work: refused, not repaired.
    const nameProblem = unstorableText(file.originalname);
    if (nameProblem) return done(invalidText(UPLOAD_FIELD, `the file name ${nameProblem}`));
    this.files.receive(file.stream, file.originalname).then(
      (received) => done(null, { received, size: received.size }),
      (e: unknown) => done(e),
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File, done: (error: Error | null) => void): void {
    const { received } = file as ReceivedUpload;
    if (!received) return done(null);
    this.files.discard(received).then(() => done(null), done);
  }
}

/** multer's and busboy's complaints about the request itself, by message: they carry no code. */
const MALFORMED_REQUEST = [
  'Malformed part header',
  'Unexpected end of',
  'Multipart: Boundary not found',
  'Unsupported content type',
  'Request aborted',
  'Request closed',
];

/**
 * Parses the multipart body of an upload route: one file part named "file", streamed into storage
 * as it arrives. The app's 1 MB JSON limit does not apply here (the JSON parser ignores multipart
 * bodies); FILE_MAX_BYTES does. Every multer error becomes our error shape. If the request fails
 * after the content was stored but before the handler recorded it (e.g. an unknown field refused
 * by validation), the content is removed.
 */
@Injectable()
export class ReceiveUploadInterceptor implements NestInterceptor {
  private readonly parse: ReturnType<multer.Multer['single']>;

  constructor(
    @Inject(FilesService) private readonly files: FilesService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.parse = multer({
      storage: new ReceivingEngine(files),
      // Browsers send UTF-8 file names; busboy would read them as Latin-1 and mangle Vietnamese.
      defParamCharset: 'utf8',
      limits: { fileSize: config.fileMaxBytes, files: 1, fields: 20, fieldSize: 4096, parts: 21 },
    }).single(UPLOAD_FIELD);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const caller = (req as Request & { user?: AuthUser }).user;
    // Over the quota, the body is not even read into storage.
    if (caller) await this.files.assertUploadQuota(caller);
    await new Promise<void>((resolve, reject) => {
      this.parse(req, res, (e?: unknown) => (e ? reject(toUploadError(e, this.config.fileMaxBytes)) : resolve()));
    });
    const upload = req.file as ReceivedUpload | undefined;
    // Text parts are not a JSON body, so checkParsedBody never saw them (multer's field limits keep
    // them far shallower than the depth limit). Names need no look: busboy refuses a part header
    // with a control byte as malformed, and reads bytes that are not UTF-8 as U+FFFD.
    const textProblem = inspectJson(req.body, DEFAULT_JSON_MAX_DEPTH);
    if (textProblem?.kind === 'text') {
      if (upload) await this.files.discard(upload.received).catch(() => undefined);
      throw invalidText(textProblem.field, textProblem.problem);
    }
    return next.handle().pipe(
      catchError((e: unknown) => {
        if (!upload) return throwError(() => e);
        // The request's own error is what the client hears; a failed clean-up only leaves an
        // unreferenced blob behind.
        const cleanUp = this.files.discard(upload.received).catch(() => undefined);
        return from(cleanUp).pipe(mergeMap(() => throwError(() => e)));
      }),
    );
  }
}

/** Our error for what multer reports; storage failures (disk full, …) stay 500s. */
export function toUploadError(e: unknown, maxBytes: number): unknown {
  if (e instanceof AppError) return e;
  if (e instanceof multer.MulterError) {
    switch (e.code) {
      case 'LIMIT_FILE_SIZE':
        return fileTooLarge(maxBytes);
      case 'LIMIT_FILE_COUNT':
        return tooManyFiles();
      case 'LIMIT_UNEXPECTED_FILE':
        return e.field === UPLOAD_FIELD ? tooManyFiles() : unknownUploadField(e.field ?? '(unnamed)');
      default:
        return invalidUpload(e.message, e.field);
    }
  }
  const message = (e as Error | undefined)?.message ?? '';
  if (MALFORMED_REQUEST.some((m) => message.startsWith(m))) return invalidUpload(message);
  return e;
}
