import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import express from 'express';
import { CORE_SCHEMA, load as loadYaml, mergeTag } from 'js-yaml';
import { parseTrustProxy } from '../src/config/app-config.js';

/**
 * docker-compose.yml, deploy/nginx.conf and the Dockerfile, checked without a Docker engine: the
 * YAML parsed (with its `<<` merge keys, which compose applies and YAML 1.2's core schema leaves out) and the promises of README "Docker"
 * held: two API replicas and one worker on one PostgreSQL and Redis, behind one port, every
 * service health-checked, the demo off unless asked for, a small non-root Node 24 image.
 */
type Service = {
  build?: string | { context: string };
  image?: string;
  environment?: Record<string, string> | string[];
  ports?: unknown[];
  profiles?: string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  deploy?: { replicas?: number };
  volumes?: string[];
};
const compose = loadYaml(readFileSync('docker-compose.yml', 'utf8'), { schema: CORE_SCHEMA.withTags(mergeTag) }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const nginx = readFileSync('deploy/nginx.conf', 'utf8').replace(/#.*$/gm, '');
const dockerfile = readFileSync('Dockerfile', 'utf8').replace(/\\\n/g, ' ');

/** Compose's variable substitution (${VAR}, ${VAR:-default}, ${VAR-default}, $$) for a given shell environment. */
function interpolate(value: string, shell: Record<string, string>): string {
  return value.replace(/\$\$|\$\{(\w+)(?:(:?-)([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, fallback: string | undefined) => {
    if (whole === '$$') return '$';
    const set = shell[name!];
    if (op === ':-') return set ? set : fallback!;
    if (op === '-') return set ?? fallback!;
    return set ?? '';
  });
}

function envOf(s: Service, shell: Record<string, string> = {}): Record<string, string> {
  const raw = Array.isArray(s.environment)
    ? Object.fromEntries(s.environment.map((kv) => [kv.split('=')[0], kv.split('=').slice(1).join('=')]))
    : (s.environment ?? {});
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, interpolate(String(v), shell)]));
}

const replicas = (s: Service) => s.deploy?.replicas ?? 1;
const dependsHealthy = (s: Service, on: string) => !Array.isArray(s.depends_on) && s.depends_on?.[on]?.condition === 'service_healthy';
/** What `docker compose up` starts: services outside any profile. */
const started = Object.entries(compose.services).filter(([, s]) => !s.profiles?.length);
const withRole = (role: string) => started.filter(([, s]) => envOf(s).APP_ROLE === role);

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Redis, two API replicas, one worker and a proxy', () => {
    const names = started.map(([n]) => n);
    for (const name of ['postgres', 'redis', 'proxy']) expect(names).toContain(name);
    const api = withRole('api');
    const worker = withRole('worker');
    expect(api.reduce((n, [, s]) => n + replicas(s), 0)).toBe(2);
    expect(worker.reduce((n, [, s]) => n + replicas(s), 0)).toBe(1);
    // No process of the default start runs API and workers together.
    expect(
      started.filter(([, s]) => {
        const e = envOf(s);
        return e.DATABASE_URL && e.APP_ROLE !== 'api' && e.APP_ROLE !== 'worker';
      }),
    ).toEqual([]);
  });

  it('builds every app service from the Dockerfile, on the compose PostgreSQL and Redis', () => {
    for (const [name, s] of [...withRole('api'), ...withRole('worker')]) {
      const context = typeof s.build === 'string' ? s.build : s.build?.context;
      expect({ name, context }).toEqual({ name, context: '.' });
      const env = envOf(s);
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect({ name, postgres: dependsHealthy(s, 'postgres'), redis: dependsHealthy(s, 'redis') }).toEqual({ name, postgres: true, redis: true });
    }
  });

  it('publishes only the proxy on the host', () => {
    const publishing = started.filter(([, s]) => (s.ports ?? []).length > 0).map(([n]) => n);
    expect(publishing).toEqual(['proxy']);
    expect(compose.services.proxy.ports).toHaveLength(1);
    expect(String(compose.services.proxy.ports![0])).toMatch(/:80$/);
    // Optional profiles (MinIO's console) publish on this machine only.
    const optional = Object.values(compose.services)
      .filter((s) => s.profiles?.length)
      .flatMap((s) => s.ports ?? []);
    for (const port of optional) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
  });

  it('health-checks every service, and starts the proxy only once both replicas are healthy', () => {
    for (const [name, s] of started) {
      const test = s.healthcheck?.test;
      expect({ name, disabled: s.healthcheck?.disable ?? false, test: Array.isArray(test) ? test[0] !== 'NONE' && test.length > 1 : !!test }).toEqual({
        name,
        disabled: false,
        test: true,
      });
    }
    for (const [name] of withRole('api')) expect({ name, healthy: dependsHealthy(compose.services.proxy, name) }).toEqual({ name, healthy: true });
  });

  it('gives the worker a health port its health check asks', () => {
    for (const [, s] of withRole('worker')) {
      expect(Number(envOf(s).HEALTH_PORT)).toBeGreaterThan(0);
      expect(s.healthcheck?.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs']);
    }
    for (const [, s] of withRole('api')) expect(s.healthcheck?.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs']);
  });

  it('leaves the demo off unless SEED_DEMO=true is given, and keeps development unless NODE_ENV is given', () => {
    for (const [, s] of [...withRole('api'), ...withRole('worker')]) {
      expect(envOf(s).SEED_DEMO).toBe('false');
      expect(envOf(s, { SEED_DEMO: 'true' }).SEED_DEMO).toBe('true');
      expect(envOf(s, { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40) })).toMatchObject({ NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40) });
    }
  });

  it('shares one DATA_DIR volume between the replicas and the worker (uploaded files, keys, JWT secret)', () => {
    const mounts = [...withRole('api'), ...withRole('worker')].map(([, s]) => (s.volumes ?? []).find((v) => v.split(':')[1] === '/app/.data'));
    expect(mounts.every((m) => m !== undefined)).toBe(true);
    expect(new Set(mounts).size).toBe(1);
    expect(Object.keys(compose.volumes ?? {})).toContain(mounts[0]!.split(':')[0]);
    for (const [, s] of withRole('api')) expect(envOf(s).STORAGE_DRIVER ?? 'local').toBe('local');
  });

  it('trusts X-Forwarded-For from the proxy on the Docker network, not from a client address', () => {
    for (const [, s] of withRole('api')) {
      const app = express();
      app.set('trust proxy', parseTrustProxy(envOf(s).TRUST_PROXY ?? 'loopback'));
      const trusted = app.get('trust proxy fn') as (address: string, hop: number) => boolean;
      for (const dockerAddress of ['172.18.0.5', '172.30.1.2', '192.168.16.3', '10.0.3.4'])
        expect({ dockerAddress, trusted: trusted(dockerAddress, 0) }).toEqual({ dockerAddress, trusted: true });
      expect(trusted('203.0.113.7', 0)).toBe(false);
    }
  });
});

describe('deploy/nginx.conf', () => {
  const upstreams = [...nginx.matchAll(/upstream\s+(\S+)\s*\{([^}]*)\}/g)].map((m) => ({
    name: m[1],
    servers: [...m[2].matchAll(/^\s*server\s+([^\s;]+)/gm)].map((s) => s[1]),
  }));

  it('is the proxy service configuration', () => {
    expect(compose.services.proxy.volumes).toContainEqual(expect.stringMatching(/^\.\/deploy\/nginx\.conf:\/etc\/nginx\/conf\.d\/default\.conf/));
    expect(nginx).toMatch(/listen\s+80;/);
  });

  it('sends requests round-robin to every API replica on its PORT', () => {
    expect(upstreams).toHaveLength(1);
    const [upstream] = upstreams;
    expect(nginx).toMatch(new RegExp(`proxy_pass\\s+http://${upstream.name};`));
    // round-robin is nginx's default: no other balancing method in the block
    expect(nginx).not.toMatch(/\b(ip_hash|hash|least_conn|random)\b/);
    const expected = withRole('api').map(([name, s]) => `${name}:${envOf(s).PORT ?? '3000'}`);
    expect(upstream.servers.sort()).toEqual(expected.sort());
  });

  it('replaces X-Forwarded-For with the address it saw', () => {
    expect(nginx).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$remote_addr;/);
  });
});

describe('Dockerfile', () => {
  const lines = dockerfile
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: string[][] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) stages.push([]);
    stages.at(-1)?.push(line);
  }
  const final = stages.at(-1) ?? [];

  it('builds in several stages, each on Node 24', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]).toMatch(/^FROM\s+node:24[-.\w]*(\s+AS\s+\w+)?$/i);
    expect(stages[0].join('\n')).toMatch(/RUN npm ci\b/);
    expect(stages[0].join('\n')).toMatch(/RUN npm run build\b/);
  });

  it('installs only production dependencies, exactly as locked, in the final stage', () => {
    const installs = final.filter((l) => /^RUN .*npm (ci|install)\b/.test(l));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toMatch(/npm ci\b.*--omit=dev/);
    expect(final).toContainEqual(expect.stringMatching(/^COPY --from=\w+ \/app\/dist dist$/));
    expect(final).toContain('COPY data data');
    expect(final).toContainEqual(expect.stringMatching(/^ENV NODE_ENV=production$/));
  });

  it('runs as a non-root user, the service with source maps, and a health check', () => {
    const users = final.filter((l) => /^USER\s/.test(l));
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER\s+(root|0)(:|$)/);
    expect(final.at(-1)).toBe('CMD ["node", "--enable-source-maps", "dist/src/main.js"]');
    expect(final).toContainEqual(expect.stringMatching(/^HEALTHCHECK .*CMD \["node", "deploy\/healthcheck\.mjs"\]$/));
    expect(final).toContain('COPY deploy/healthcheck.mjs deploy/healthcheck.mjs');
  });

  it('keeps local state out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['node_modules', 'dist', '.data', '.git', '.env', 'coverage']) expect(ignored).toContain(entry);
  });
});
