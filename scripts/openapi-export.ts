import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from '../src/app.factory.js';
import { buildAppConfig } from '../src/config/app-config.js';
import { validateEnv } from '../src/config/env.js';

/**
 * `npm run openapi:export [file]`: writes the API's OpenAPI document (default dist/openapi.json)
 * from the modules' decorators, with no database or Redis: what /docs-json serves, for linting
 * (`npm run openapi:lint`) and client generators. PUBLIC_BASE_URL sets its `servers` entry.
 */
const out = path.resolve(process.argv[2] ?? 'dist/openapi.json');
// Nothing is connected or signed: placeholders keep buildAppConfig from generating a secret on disk.
const env = validateEnv({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'openapi-export-placeholder-secret-0123456789' });
const config = buildAppConfig(env, { databaseUrl: 'postgres://unused', redisUrl: 'redis://unused', embedded: false });
const doc = await buildOpenApiDocument(config);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
process.stdout.write(`${out}: ${Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0)} operations\n`);
