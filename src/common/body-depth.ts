import type { NextFunction, Request, Response } from 'express';
import { CommonErrors } from './common.errors.js';

/** Default deepest nesting of objects/arrays accepted in a JSON body (JSON_MAX_DEPTH). */
export const DEFAULT_JSON_MAX_DEPTH = 64;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNPRINTABLE = new RegExp(`\\u0000|${LONE_SURROGATE.source}`, 'g');

/** The cheap test, two native scans; `unstorableText` says what is wrong once it fails. */
const storable = (s: string) => !s.includes('\u0000') && s.isWellFormed();

/**
 * Why `s` cannot be stored as text, or undefined when it can. PostgreSQL refuses U+0000 in text
 * and jsonb, and a lone UTF-16 surrogate is not Unicode at all: pg writes it into a text column as
 * U+FFFD (the value silently changes) and jsonb refuses the `\ud800` escape JSON.stringify gives
 * it.
 */
export function unstorableText(s: string): string | undefined {
  if (storable(s)) return undefined;
  if (s.includes('\u0000')) return 'contains U+0000 (NUL), which cannot be stored';
  const lone = LONE_SURROGATE.exec(s)![0].charCodeAt(0).toString(16).toUpperCase();
  return `contains a lone UTF-16 surrogate U+${lone}, which is not Unicode text`;
}

/** The 400 for text that cannot be stored, naming where it was found. */
export function invalidText(field: string, problem: string) {
  return CommonErrors.INVALID_TEXT([{ field, rule: 'storableText', message: problem }]);
}

/** A field name fit to print back: what cannot be stored shown as its `\uXXXX` escape. */
export function printableName(name: string): string {
  return name.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What is wrong with a parsed body: nested too deep, or text that cannot be stored (and where). */
export type JsonProblem = { kind: 'too-deep' } | { kind: 'text'; field: string; problem: string };

interface Frame {
  value: object;
  depth: number;
  parent: Frame | undefined;
  key: string | number;
}

const TOO_DEEP: JsonProblem = { kind: 'too-deep' };

function fieldOf(frame: Frame, key: string | number): string {
  const keys = [typeof key === 'string' ? printableName(key) : String(key)];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) keys.push(typeof f.key === 'string' ? printableName(f.key) : String(f.key));
  return keys.reverse().join('.');
}

/**
 * One walk over a parsed value, without recursion (a hostile body cannot overflow the stack here,
 * as it would in class-transformer, class-validator or canonical JSON), that stops at the first
 * problem: nesting beyond `maxDepth` (a scalar is 0, `{}` or `[]` is 1), or a string (a value or
 * a key) that `unstorableText` refuses. The field is the dotted path class-validator would give
 * (`applicant.fullName`, `attachments.0.fileId`); a clean body costs a scan of each string.
 */
export function inspectJson(value: unknown, maxDepth: number): JsonProblem | undefined {
  if (typeof value === 'string') return storable(value) ? undefined : { kind: 'text', field: '(body)', problem: unstorableText(value)! };
  if (value === null || typeof value !== 'object') return undefined;
  if (maxDepth < 1) return TOO_DEEP;
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: '' }];
  // Arrays and objects in loops of their own, and the cheap test inline: this runs on every body.
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const child: unknown = v[i];
        if (typeof child === 'string') {
          if (!storable(child)) return { kind: 'text', field: fieldOf(frame, i), problem: unstorableText(child)! };
        } else if (child !== null && typeof child === 'object') {
          if (frame.depth >= maxDepth) return TOO_DEEP;
          stack.push({ value: child, depth: frame.depth + 1, parent: frame, key: i });
        }
      }
      continue;
    }
    for (const key of Object.keys(v)) {
      if (!storable(key)) return { kind: 'text', field: fieldOf(frame, key), problem: `the name ${unstorableText(key)!}` };
      const child: unknown = (v as Record<string, unknown>)[key];
      if (typeof child === 'string') {
        if (!storable(child)) return { kind: 'text', field: fieldOf(frame, key), problem: unstorableText(child)! };
      } else if (child !== null && typeof child === 'object') {
        if (frame.depth >= maxDepth) return TOO_DEEP;
        stack.push({ value: child, depth: frame.depth + 1, parent: frame, key });
      }
    }
  }
  return undefined;
}

/**
 * Express middleware, right after the body parsers (JSON and urlencoded), before anything reads the
 * body: 400 BODY_TOO_DEEP beyond `maxDepth` levels, 400 INVALID_TEXT naming the field for a NUL or
 * a lone surrogate anywhere in it (PostgreSQL would refuse it far down, as a 500 or a bare 400).
 */
export function checkParsedBody(maxDepth: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const problem = req.body !== null && typeof req.body === 'object' ? inspectJson(req.body, maxDepth) : undefined;
    if (problem?.kind === 'too-deep') return next(CommonErrors.BODY_TOO_DEEP(maxDepth, { maxDepth }));
    if (problem) return next(invalidText(problem.field, problem.problem));
    next();
  };
}
