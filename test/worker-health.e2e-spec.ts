import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { createTestApp, type TestApp } from './support/test-app.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The container's HEALTHCHECK (Dockerfile, docker-compose.yml) with the given environment: its exit code. */
function healthcheck(env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['deploy/healthcheck.mjs'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
    child.once('exit', (code) => resolve(code));
  });
}

/** APP_ROLE=worker with HEALTH_PORT: what a container health check (deploy/healthcheck.mjs) asks. */
describe('worker health port', () => {
  let worker: TestApp;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    worker = await createTestApp({ env: { APP_ROLE: 'worker', HEALTH_PORT: String(port), HOST: '127.0.0.1' } });
  });
  afterAll(async () => {
    await worker?.close();
  });

  it('answers liveness and readiness with PostgreSQL and Redis up, and nothing of the API', async () => {
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { info: unknown }).info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
    const api = await fetch(`http://127.0.0.1:${port}/api/v1/catalog/procedures`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('passes the container health check, which asks HEALTH_PORT for a worker and PORT otherwise', async () => {
    expect(await healthcheck({ APP_ROLE: 'worker', HEALTH_PORT: String(port), PORT: '1' })).toBe(0);
    expect(await healthcheck({ APP_ROLE: 'api', HEALTH_PORT: String(port), PORT: '1' })).toBe(1);
    expect(await healthcheck({ APP_ROLE: 'worker' })).toBe(1);
  });

  it('reports not ready (503, naming Redis) when Redis is unreachable, and stops listening on close', async () => {
    const p = await freePort();
    const broken = await createTestApp({
      redisUrl: 'redis://127.0.0.1:1',
      startup: false,
      env: { APP_ROLE: 'worker', HEALTH_PORT: String(p), HOST: '127.0.0.1' },
    });
    try {
      const ready = await fetch(`http://127.0.0.1:${p}/health/ready`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { error: unknown }).error).toMatchObject({ redis: { status: 'down' } });
      expect(await healthcheck({ APP_ROLE: 'worker', HEALTH_PORT: String(p) })).toBe(1);
    } finally {
      await broken.close();
    }
    await expect(fetch(`http://127.0.0.1:${p}/health/live`)).rejects.toThrow();
  });
});

describe('HEALTH_PORT where the API runs', () => {
  it('opens no second port: the API serves /health/* on PORT', async () => {
    const port = await freePort();
    const api = await createTestApp({ env: { APP_ROLE: 'api', HEALTH_PORT: String(port), HOST: '127.0.0.1' } });
    try {
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
      await api.http().get('/health/live').expect(200);
    } finally {
      await api.close();
    }
  });
});
