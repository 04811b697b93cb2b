import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

type Directives = Record<string, string[]>;

/** JSON, PDFs and files: nothing on a response of the API may load or run anything. */
const API_CSP: Directives = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/**
 * Swagger UI at /docs: its scripts and styles are files served by this service; React sets inline
 * style attributes (hence 'unsafe-inline' for styles only) and the icons are data: images. It
 * fetches the document from /docs-json on the same origin.
 */
const DOCS_CSP: Directives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

/**
 * Bull Board at /admin/queues: the same, without its Google Fonts (the page falls back to the
 * system font rather than telling a third party when an admin looks at the queues).
 */
const BOARD_CSP: Directives = { ...DOCS_CSP, fontSrc: ["'self'"] };

const withCsp = (directives: Directives) => helmet({ contentSecurityPolicy: { useDefaults: false, directives } });

/**
 * Security headers (helmet: HSTS, nosniff, frame and referrer policies, cross-origin policies) on
 * every response, with a Content-Security-Policy that fits what the response is: none at all for
 * the API, and just what Swagger UI and the queue board need for their pages.
 */
export function securityHeaders(boardPath: string) {
  const api = withCsp(API_CSP);
  const docs = withCsp(DOCS_CSP);
  const board = withCsp(BOARD_CSP);
  return (req: Request, res: Response, next: NextFunction): void => {
    const p = req.path;
    const chosen = p === '/docs' || p.startsWith('/docs/') ? docs : p === boardPath || p.startsWith(`${boardPath}/`) ? board : api;
    chosen(req, res, next);
  };
}
