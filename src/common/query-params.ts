import { ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import type { TransformFnParams } from 'class-transformer';
import { CommonErrors } from './common.errors.js';

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
    exceptionFactory: () => CommonErrors.VALIDATION_FAILED(`${label} không hợp lệ`, `${field} must be a UUID`, [{ field, message: 'must be a UUID' }]),
  });
}

/** Largest value of a PostgreSQL `integer` column: an int path parameter beyond it can match nothing. */
export const PG_INT_MAX = 2_147_483_647;

/**
 * A path parameter that must be a whole number within [min, max] (by default a positive
 * PostgreSQL `integer`); anything else is 400 VALIDATION_FAILED naming `field`, so an
 * out-of-range value never reaches SQL.
 */
export function intParam(field: string, label: string, min = 1, max = PG_INT_MAX): PipeTransform<string, number> {
  return {
    transform(value: string): number {
      const n = /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw CommonErrors.VALIDATION_FAILED(`${label} không hợp lệ`, `${field} must be a whole number from ${min} to ${max}`, [
          { field, message: `must be a whole number from ${min} to ${max}` },
        ]);
      }
      return n;
    },
  };
}
