import { HttpStatus } from '@nestjs/common';

/** One detail of an error: which field, and what is wrong with it. */
export interface ErrorDetail {
  field?: string;
  message: string;
  [extra: string]: unknown;
}

/**
 * A domain error with a stable, machine-readable `code` (e.g. `DOSSIER_NOT_FOUND`) and a readable
 * message (Vietnamese first, English after " / "). The global filter turns it into the one error
 * shape `{statusCode, code, message, details?, requestId}`.
 */
export class AppError extends Error {
  /** Response headers that go with the error (e.g. Retry-After). */
  headers?: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(code: string, message: string, details?: AppError['details']): AppError {
    return new AppError(HttpStatus.NOT_FOUND, code, message, details);
  }
  static badRequest(code: string, message: string, details?: AppError['details']): AppError {
    return new AppError(HttpStatus.BAD_REQUEST, code, message, details);
  }
  static unprocessable(code: string, message: string, details?: AppError['details']): AppError {
    return new AppError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, details);
  }
  static conflict(code: string, message: string, details?: AppError['details']): AppError {
    return new AppError(HttpStatus.CONFLICT, code, message, details);
  }
  static forbidden(code: string, message: string, details?: AppError['details']): AppError {
    return new AppError(HttpStatus.FORBIDDEN, code, message, details);
  }
  static unauthorized(code: string, message: string, details?: AppError['details']): AppError {
    return new AppError(HttpStatus.UNAUTHORIZED, code, message, details);
  }
  /** 429 with a Retry-After header (whole seconds, at least 1). */
  static tooManyRequests(code: string, message: string, retryAfterSeconds: number, details?: AppError['details']): AppError {
    const e = new AppError(HttpStatus.TOO_MANY_REQUESTS, code, message, details);
    e.headers = { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
    return e;
  }
  static unavailable(code: string, message: string, details?: AppError['details']): AppError {
    return new AppError(HttpStatus.SERVICE_UNAVAILABLE, code, message, details);
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  requestId: string;
}
