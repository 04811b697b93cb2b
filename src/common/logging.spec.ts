import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerParams, scrubPersonalData, usePrettyLogs } from './logging.js';

describe('log scrubbing', () => {
  it('masks CCCD numbers, phone numbers and JWTs in any text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const out = scrubPersonalData(`citizen 001090123456 phone 0912345678 or +84912345678 token ${jwt}`);
    expect(out).toBe('citizen [cccd] phone [phone] or [phone] token [jwt]');
  });

  it('keeps what is not personal: dossier codes, dates, uuids, small numbers', () => {
    const text = 'dossier 000.00.20.H56-261122-0007 on 2026-11-22, id 3f2b6c1e-0a4d-4e8f-9b1a-2c3d4e5f6a7b, 42 items';
    expect(scrubPersonalData(text)).toBe(text);
  });

  it('applies to what the service logger writes, fields and messages alike', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const opts = loggerParams('info').pinoHttp as pino.LoggerOptions;
    const logger = pino({ level: 'info', redact: opts.redact, formatters: opts.formatters, hooks: opts.hooks }, sink);
    logger.info({ applicant: { idNumber: '001090123456', phone: '0912345678' }, note: 'call 0987654321' }, 'registered 079305001234');
    const written = lines.join('');
    expect(written).not.toMatch(/001090123456|0912345678|0987654321|079305001234/);
    expect(written).toContain('registered [cccd]');
  });
});

describe('log format', () => {
  it('is readable on a terminal outside production, JSON when piped, redirected or in production', () => {
    expect(usePrettyLogs({ isTTY: true, nodeEnv: 'development' })).toBe(true);
    expect(usePrettyLogs({ isTTY: true, nodeEnv: 'test' })).toBe(true);
    expect(usePrettyLogs({ isTTY: false, nodeEnv: 'development' })).toBe(false);
    expect(usePrettyLogs({ isTTY: undefined, nodeEnv: 'development' })).toBe(false);
    expect(usePrettyLogs({ isTTY: true, nodeEnv: 'production' })).toBe(false);
  });

  it('follows LOG_FORMAT when it is set, and only then uses pino-pretty', () => {
    expect(usePrettyLogs({ isTTY: false, nodeEnv: 'development', logFormat: 'pretty' })).toBe(true);
    expect(usePrettyLogs({ isTTY: true, nodeEnv: 'development', logFormat: 'json' })).toBe(false);
    expect(usePrettyLogs({ isTTY: true, nodeEnv: 'development', logFormat: 'auto' })).toBe(true);
    expect((loggerParams('info', true).pinoHttp as { transport?: { target: string } }).transport?.target).toBe('pino-pretty');
    expect((loggerParams('info').pinoHttp as { transport?: unknown }).transport).toBeUndefined();
  });
});
