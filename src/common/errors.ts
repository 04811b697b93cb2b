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

/** A catalogue entry: the HTTP status and the bilingual message ("Tiếng Việt / English"), fixed or built from arguments. */
export type ErrorSpec = readonly [status: number, message: string | ((...args: never[]) => string)];

type Details = AppError['details'];
type ErrorFactory<S extends ErrorSpec> = S[1] extends (...args: infer A) => string
  ? (...args: [...A, details?: Details]) => AppError
  : (details?: Details) => AppError;

export type ErrorCatalogue<T extends Record<string, ErrorSpec>> = { readonly [K in keyof T]: ErrorFactory<T[K]> };

const declaredCodes = new Map<string, { capability: string; status: number }>();

/**
 * Declares a capability's errors, once, in its `*.errors.ts`: code → [status, message]. Each
 * factory builds the error with that status and message, and takes the details last (which field,
 * and why). A code belongs to one capability, so one code has one status and one meaning: the
 * resource a URL names and that does not exist is `*_NOT_FOUND` (404); a reference in a request
 * body to something that does not exist is `UNKNOWN_*` (422). A 429 entry's first argument is the
 * Retry-After in seconds.
 */
export function defineErrors<T extends Record<string, ErrorSpec>>(capability: string, specs: T): ErrorCatalogue<T> {
  const catalogue: Record<string, (...args: unknown[]) => AppError> = {};
  for (const [code, [status, message]] of Object.entries(specs)) {
    const known = declaredCodes.get(code);
    if (known && known.capability !== capability) throw new Error(`error code ${code} is declared by ${known.capability} and again by ${capability}`);
    declaredCodes.set(code, { capability, status });
    const arity = typeof message === 'function' ? message.length : 0;
    catalogue[code] = (...args: unknown[]) => {
      const text = typeof message === 'function' ? (message as (...a: unknown[]) => string)(...args.slice(0, arity)) : message;
      const error = new AppError(status, code, text, args[arity] as Details);
      if (status === HttpStatus.TOO_MANY_REQUESTS) error.headers = { 'Retry-After': String(Math.max(1, Math.ceil(Number(args[0])))) };
      return error;
    };
  }
  return catalogue as ErrorCatalogue<T>;
}

/** Every code declared so far, with its capability and status (for the catalogue's test and docs). */
export function declaredErrorCodes(): ReadonlyMap<string, { capability: string; status: number }> {
  return declaredCodes;
}

/** "Tiếng Việt / English". */
export const bilingual = (vi: string, en: string) => `${vi} / ${en}`;
