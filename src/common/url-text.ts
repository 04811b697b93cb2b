import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { invalidText, printableName, unstorableText } from './body-depth.js';

/** Where a URL carries text that cannot be stored: the parameter's name and what is wrong. */
export interface UrlTextProblem {
  field: string;
  problem: string;
}

const NOT_UTF8 = 'is not valid percent-encoded UTF-8';

function decodeQueryPart(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * The first path parameter (as the router decoded it) or query parameter (from the raw query
 * string) whose text cannot be stored. Query parts are decoded strictly: Express' parser turns
 * bytes that are not UTF-8 into U+FFFD without a word, which would store or search a different
 * value than the one sent; here they are refused.
 */
export function findUrlTextProblem(params: Record<string, unknown> | undefined, rawQuery: string): UrlTextProblem | undefined {
  for (const [name, value] of Object.entries(params ?? {})) {
    const problem = typeof value === 'string' ? unstorableText(value) : undefined;
    if (problem) return { field: name, problem };
  }
  if (!rawQuery.includes('%')) return undefined;
  for (const part of rawQuery.split('&')) {
    if (!part.includes('%')) continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const name = decodeQueryPart(rawName);
    const field = name === undefined ? rawName : printableName(name);
    if (name === undefined) return { field, problem: `the name ${NOT_UTF8}` };
    const nameProblem = unstorableText(name);
    if (nameProblem) return { field, problem: `the name ${nameProblem}` };
    if (eq < 0) continue;
    const value = decodeQueryPart(part.slice(eq + 1));
    if (value === undefined) return { field, problem: NOT_UTF8 };
    const problem = unstorableText(value);
    if (problem) return { field, problem };
  }
  return undefined;
}

/**
 * 400 INVALID_TEXT for a NUL (or bytes that are not UTF-8) in a path or query parameter, naming
 * it, before any handler or pipe passes it on to SQL. Bodies are checked by `checkParsedBody`;
 * headers need nothing (Node refuses control bytes in them and reads the rest as Latin-1). A global
 * guard rather than a middleware because only matched routes know their parameters' names. It
 * costs nothing on almost every request: Node refuses raw control and non-ASCII bytes in the
 * request line, so only a percent-escape can bring such text in, and a URL without '%' is skipped.
 */
@Injectable()
export class UrlTextGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const url = req.originalUrl ?? req.url;
    if (!url.includes('%')) return true;
    const q = url.indexOf('?');
    const found = findUrlTextProblem(req.params, q < 0 ? '' : url.slice(q + 1));
    if (found) throw invalidText(found.field, found.problem);
    return true;
  }
}
