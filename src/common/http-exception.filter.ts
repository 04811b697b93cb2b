import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { invalidText } from './body-depth.js';
import { CommonErrors } from './common.errors.js';
import { AppError, type ErrorBody } from './errors.js';
import { assignRequestId } from './request-id.js';

/** Stable codes for the HTTP errors Nest and Express raise themselves. */
const CODE_BY_STATUS: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'Yêu cầu không hợp lệ / Bad request'],
  401: ['UNAUTHENTICATED', 'Chưa đăng nhập hoặc phiên đã hết hạn / Authentication required'],
  403: ['FORBIDDEN', 'Không có quyền thực hiện / Not allowed'],
  404: ['NOT_FOUND', 'Không tìm thấy / Not found'],
  405: ['METHOD_NOT_ALLOWED', 'Phương thức không được hỗ trợ / Method not allowed'],
  409: ['CONFLICT', 'Xung đột dữ liệu / Conflict'],
  413: ['PAYLOAD_TOO_LARGE', 'Dữ liệu gửi lên quá lớn / Payload too large'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Định dạng không được hỗ trợ / Unsupported media type'],
  422: ['UNPROCESSABLE', 'Không thể xử lý yêu cầu / Unprocessable request'],
  429: ['TOO_MANY_REQUESTS', 'Quá nhiều yêu cầu, vui lòng thử lại sau / Too many requests'],
  500: ['INTERNAL_ERROR', 'Lỗi hệ thống / Internal server error'],
  503: ['SERVICE_UNAVAILABLE', 'Dịch vụ tạm thời không sẵn sàng / Service unavailable'],
};

/**
 * SQLSTATEs of text PostgreSQL cannot store: 22021 "invalid byte sequence for encoding" (a NUL in
 * text), 22P05 "unsupported Unicode escape sequence" (\u0000 in jsonb). The request checks refuse
 * such text with the field's name first; this is the last line behind them.
 */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

/**
 * Turns every error into `{statusCode, code, message, details?, requestId}`. Unknown errors are
 * logged with their stack and answered as a bare 500: internals never reach the client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const requestId = assignRequestId(req, res);
    const body = this.toBody(exception, requestId);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId }, 'unhandled error');
    }
    if (res.headersSent) return;
    if (exception instanceof AppError && exception.headers) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
    }
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, requestId: string): ErrorBody {
    exception = asTextError(exception);
    if (exception instanceof AppError) {
      return {
        statusCode: exception.status,
        code: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
        requestId,
      };
    }
    // Express' body parser errors arrive wrapped by Nest (HttpException with the parser error as
    // cause) or bare; either way they carry a `type` we can name precisely.
    const parserType = bodyParserErrorType(exception);
    if (parserType === 'entity.too.large') {
      return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Dữ liệu gửi lên vượt quá giới hạn 1 MB / Request body exceeds the 1 MB limit', requestId };
    }
    if (parserType === 'entity.parse.failed') {
      return { statusCode: 400, code: 'MALFORMED_JSON', message: 'Nội dung JSON không hợp lệ / Request body is not valid JSON', requestId };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const [fallbackCode, fallbackMessage] = CODE_BY_STATUS[status] ?? [HttpStatus[status] ?? 'HTTP_ERROR', exception.message];
      if (typeof response === 'object' && response !== null) {
        const r = response as { code?: string; message?: unknown; details?: unknown };
        const message = typeof r.message === 'string' && r.code ? r.message : fallbackMessage;
        return { statusCode: status, code: r.code ?? fallbackCode, message, ...(r.details ? { details: r.details } : {}), requestId };
      }
      return { statusCode: status, code: fallbackCode, message: fallbackMessage, requestId };
    }
    const e = exception as { status?: number } | undefined;
    if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      const [code, message] = CODE_BY_STATUS[e.status] ?? ['BAD_REQUEST', CODE_BY_STATUS[400][1]];
      return { statusCode: e.status, code, message, requestId };
    }
    // PostgreSQL class 22 "data exception" (22P02 invalid text, 22003 out of range, 22007/22008
    // bad date/time, 22001 too long, ...) means the input could not be stored or compared: the
    // caller's fault, which a validator upstream should ideally have caught with a field name.
    if (exception instanceof QueryFailedError && /^22[0-9A-Z]{3}$/.test(String((exception as { code?: string }).code))) {
      return { statusCode: 400, code: 'INVALID_VALUE', message: 'Giá trị không hợp lệ / A value is malformed or out of range', requestId };
    }
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: CODE_BY_STATUS[500][1], requestId };
  }
}

/** INVALID_TEXT for the failures text that cannot be stored causes below the request checks; anything else as it is. */
function asTextError(exception: unknown): unknown {
  if (exception instanceof QueryFailedError && UNSTORABLE_TEXT.has(String((exception as { code?: string }).code))) return CommonErrors.INVALID_TEXT();
  // The router could not percent-decode a path segment into UTF-8 (Nest wraps its error in a
  // BadRequestException); it names the value, not the parameter.
  const cause = exception instanceof HttpException ? exception.cause : exception;
  if (cause instanceof URIError && (cause as { status?: number }).status === 400)
    return invalidText('path', 'a path segment is not valid percent-encoded UTF-8');
  return exception;
}

function bodyParserErrorType(exception: unknown): string | undefined {
  const e = exception as { type?: unknown; cause?: { type?: unknown } } | undefined;
  const type = e?.type ?? e?.cause?.type;
  return typeof type === 'string' && type.startsWith('entity.') ? type : undefined;
}
