import type { Params } from 'nestjs-pino';
import { assignRequestId } from './request-id.js';

/** 12-digit citizen ids (CCCD), Vietnamese phone numbers, and bearer tokens, masked in any string. */
const PERSONAL = [
  [/\b\d{12}\b/g, '[cccd]'],
  [/(?<![\d])(?:\+?84|0)(?:\d[ .-]?){8,9}\d\b/g, '[phone]'],
  [/\b(eyJ[\w-]+\.[\w-]+\.[\w-]+)\b/g, '[jwt]'],
] as const;

export function scrubPersonalData(text: string): string {
  let out = text;
  for (const [re, mask] of PERSONAL) out = out.replace(re, mask);
  return out;
}

function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubPersonalData(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  if (value instanceof Error) return { type: value.name, message: scrubPersonalData(value.message), stack: value.stack && scrubPersonalData(value.stack) };
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, scrubDeep(v, depth + 1)]));
}

/**
 * Whether logs are written for people (pino-pretty: coloured, one readable line per event) or
 * for machines (one JSON object per line). LOG_FORMAT decides when set; otherwise pretty only on
 * a terminal outside production, so files, pipes, containers and production always get JSON.
 */
export function usePrettyLogs(where: { isTTY: boolean | undefined; nodeEnv: string; logFormat?: 'auto' | 'json' | 'pretty' }): boolean {
  if (where.logFormat === 'json' || where.logFormat === 'pretty') return where.logFormat === 'pretty';
  return where.isTTY === true && where.nodeEnv !== 'production';
}

/**
 * Logs through pino, one line per request with its request id: JSON, or readable with `pretty`. Secrets are removed by path
 * (Authorization, API keys, cookies, passwords) and personal numbers are masked wherever they
 * appear (URLs, messages, error texts), so a log file can be shared without leaking citizens' data.
 */
export function loggerParams(level: string, pretty = false): Params {
  return {
    pinoHttp: {
      level,
      ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
      genReqId: (req, res) => assignRequestId(req, res),
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.password',
          '*.refreshToken',
          '*.accessToken',
          '*.idNumber',
          '*.phone',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: scrubPersonalData(req.url) }),
        // pino-http hands over a wrapper whose statusCode is null until headers are sent: read the raw response.
        res: (res: { statusCode: number | null; raw?: { statusCode: number } }) => ({ statusCode: res.raw?.statusCode ?? res.statusCode }),
      },
      formatters: {
        log: (obj: Record<string, unknown>) => scrubDeep(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrubDeep(a)) as Parameters<typeof method>);
        },
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
    },
  };
}
