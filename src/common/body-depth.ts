import type { NextFunction, Request, Response } from 'express';
import { CommonErrors } from './common.errors.js';

/** Default deepest nesting of objects/arrays accepted in a JSON body (JSON_MAX_DEPTH). */
export const DEFAULT_JSON_MAX_DEPTH = 64;

/**
 * How deep a parsed JSON value nests (a scalar is 0, `{}` or `[]` is 1), counted without
 * recursion and stopping as soon as `limit` is exceeded, so a hostile body cannot overflow the
 * stack here (it would in class-transformer, class-validator or canonical JSON otherwise).
 */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Express middleware, right after the body parsers: 400 BODY_TOO_DEEP beyond `limit` levels. */
export function bodyDepthLimit(limit: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.body !== null && typeof req.body === 'object' && jsonDepthExceeds(req.body, limit)) {
      next(CommonErrors.BODY_TOO_DEEP(limit, { maxDepth: limit }));
      return;
    }
    next();
  };
}
