import type { Request } from 'express';

/**
 * One cookie of a request, or undefined. Express does not parse cookies and we read only our own,
 * whose values are base64url or hex (no quoting, no escapes), so a split is all it takes.
 */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
