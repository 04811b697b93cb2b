import { describe, expect, it } from '@jest/globals';
import { allowanceCovers, normalizeAllowance } from './webhook-allowances.js';

describe('webhook allowances', () => {
  it('are written scheme://host:port/path, the port always, the host as the URL parser writes it', () => {
    expect(normalizeAllowance('http://10.0.0.5:8080')).toBe('http://10.0.0.5:8080/');
    expect(normalizeAllowance('http://Hotich.Tinh.GOV.vn/motcua/')).toBe('http://hotich.tinh.gov.vn:80/motcua/');
    expect(normalizeAllowance('https://hotich.tinh.gov.vn/hooks')).toBe('https://hotich.tinh.gov.vn:443/hooks');
    expect(normalizeAllowance('http://[0:0:0:0:0:0:0:1]:9000/x/../hooks')).toBe('http://[::1]:9000/hooks');
    expect(normalizeAllowance('http://0x7f.1:81/')).toBe('http://127.0.0.1:81/');
  });

  it('refuse what is not an http(s) URL prefix', () => {
    for (const bad of [
      '10.0.0.5:8080',
      'ftp://10.0.0.5/',
      'http://user:pw@10.0.0.5/',
      'http://10.0.0.5/?a=1',
      'http://10.0.0.5/#x',
      'http://10.0.0.5/a%2fb',
      'http://10.0.0.5/a%5Cb',
      'file:///etc/passwd',
      '',
    ]) {
      expect(normalizeAllowance(bad)).toBeNull();
    }
  });

  it('cover the same scheme, host and port only', () => {
    const a = normalizeAllowance('http://10.0.0.5:8080')!;
    expect(allowanceCovers(a, 'http://10.0.0.5:8080/hooks?x=1')).toBe(true);
    expect(allowanceCovers(a, 'http://10.0.0.5:8080')).toBe(true);
    for (const other of [
      'http://10.0.0.5:8081/hooks',
      'http://10.0.0.5/hooks',
      'https://10.0.0.5:8080/hooks',
      'http://10.0.0.6:8080/',
      'http://[::ffff:10.0.0.5]:8080/',
      'http://10.0.0.5.nip.io:8080/',
      'not a url',
    ]) {
      expect(allowanceCovers(a, other)).toBe(false);
    }
    // A default port is the port: http://h/ is http://h:80/.
    expect(allowanceCovers(normalizeAllowance('http://h.gov.vn')!, 'http://h.gov.vn:80/x')).toBe(true);
    expect(allowanceCovers(normalizeAllowance('http://h.gov.vn:80')!, 'http://h.gov.vn/x')).toBe(true);
    expect(allowanceCovers(normalizeAllowance('http://h.gov.vn')!, 'http://h.gov.vn:8080/x')).toBe(false);
  });

  it('with a path, cover that path and what is below it, at a slash', () => {
    const a = normalizeAllowance('http://10.0.0.5:8080/hooks')!;
    expect(allowanceCovers(a, 'http://10.0.0.5:8080/hooks')).toBe(true);
    expect(allowanceCovers(a, 'http://10.0.0.5:8080/hooks/motcua')).toBe(true);
    for (const other of [
      'http://10.0.0.5:8080/hooksmith',
      'http://10.0.0.5:8080/',
      'http://10.0.0.5:8080/admin',
      'http://10.0.0.5:8080/hooks/../admin',
      'http://10.0.0.5:8080/hooks/..%2fadmin',
      'http://10.0.0.5:8080/hooks/%2e%2e/admin',
    ]) {
      expect(allowanceCovers(a, other)).toBe(false);
    }
    const slash = normalizeAllowance('http://10.0.0.5:8080/hooks/')!;
    expect(allowanceCovers(slash, 'http://10.0.0.5:8080/hooks/a')).toBe(true);
    expect(allowanceCovers(slash, 'http://10.0.0.5:8080/hooks')).toBe(false);
  });
});
