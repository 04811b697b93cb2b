import { ParseUUIDPipe } from '@nestjs/common';
import type { TransformFnParams } from 'class-transformer';
import { AppError } from './errors.js';

/*
 * Query strings arrive as text and the validation pipe converts nothing implicitly, so each typed
 * query parameter says how to read itself. Values that do not parse are passed through unchanged
 * for the validators to refuse with the field's name.
 */

export function toInteger({ value }: TransformFnParams): unknown {
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}

export function toBoolean({ value }: TransformFnParams): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** A path parameter that must be a UUID; anything else is 400 VALIDATION_FAILED naming `field`. */
export function uuidParam(field = 'id', label = 'Mã'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => AppError.badRequest('VALIDATION_FAILED', `${label} không hợp lệ / ${field} must be a UUID`, [{ field, message: 'must be a UUID' }]),
  });
}
