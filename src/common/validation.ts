import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateBy, ValidateIf, buildMessage } from 'class-validator';
import { type ErrorDetail } from './errors.js';
import { CommonErrors } from './common.errors.js';

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      for (const [rule, message] of Object.entries(e.constraints)) {
        out.push({ field, rule, message: rule === 'whitelistValidation' ? `Trường không được phép / Unknown field "${field}"` : message });
      }
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/**
 * Validation at the edge: unknown fields are refused (not silently dropped), values are transformed
 * to their declared types, and every failure is reported as `VALIDATION_FAILED` with the field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const unknown = details.find((d) => d.rule === 'whitelistValidation');
      if (unknown) {
        return CommonErrors.UNKNOWN_FIELD(String(unknown.field), details);
      }
      const first = details[0];
      return CommonErrors.VALIDATION_FAILED(`Dữ liệu không hợp lệ ở trường ${first?.field}`, `Invalid value for ${first?.field}: ${first?.message}`, details);
    },
  });
}

/**
 * The field may be left out, but not sent as null: unlike @IsOptional, null is validated (and
 * refused by the field's other rules). For fields the record cannot lack.
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/**
 * A finite number with at most `places` decimals. Replaces class-validator's
 * IsNumber({ maxDecimalPlaces }), which throws (a 500) on numbers JavaScript prints in exponent
 * form such as 1e-7.
 */
export function IsDecimal(places: number): PropertyDecorator {
  return ValidateBy({
    name: 'isDecimal',
    validator: {
      validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(places)) === value,
      defaultMessage: buildMessage((each) => `${each}$property must be a number with at most ${places} decimals`),
    },
  });
}
