import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '../src/database/data-source.js';
import { databaseForScripts } from './db-for-scripts.js';

/**
 * `npm run migration:generate -- <Name> [table,table…]`: migrates the development database, then
 * writes the SQL that makes it match the entities as migrations/<timestamp>-<Name>.ts and lists it
 * in migrations/index.ts. With a table list, only statements on those tables are kept (useful when
 * several capabilities change entities at once). Review the file like code.
 */
const [name, tables] = process.argv.slice(2);
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  process.stderr.write('usage: npm run migration:generate -- <PascalCaseName> [table1,table2]\n');
  process.exit(2);
}
const only = tables ? new Set(tables.split(',')) : undefined;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const migrationsDir = path.join(root, 'migrations');

const targetTable = (sql: string) => /(?:TABLE|INDEX\s+"[^"]+"\s+ON|TYPE)\s+(?:"public"\.)?"([^"]+)"/.exec(sql)?.[1];
const keep = (sql: string) => {
  if (!only) return true;
  const t = targetTable(sql);
  return t !== undefined && [...only].some((name) => t === name || t.startsWith(`${name}_`));
};

const infra = await databaseForScripts();
try {
  await migrate(infra.databaseUrl);
  const ds = new DataSource(dataSourceOptions(infra.databaseUrl, { extra: { max: 1 } }));
  await ds.initialize();
  const log = await ds.driver.createSchemaBuilder().log();
  await ds.destroy();
  const up = log.upQueries.filter((q) => keep(q.query));
  const down = log.downQueries.filter((q) => keep(q.query)).reverse();
  if (up.length === 0) {
    process.stdout.write('No changes: the schema matches the entities.\n');
  } else {
    const ts = Date.now();
    const cls = `${name}${ts}`;
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
    const body = (qs: typeof up) =>
      qs.map((q) => `    await q.query(\`${esc(q.query)}\`${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`).join('\n');
    const file = `${ts}-${name}.ts`;
    writeFileSync(
      path.join(migrationsDir, file),
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  async up(q: QueryRunner): Promise<void> {\n${body(up)}\n  }\n\n  async down(q: QueryRunner): Promise<void> {\n${body(down)}\n  }\n}\n`,
    );
    process.stdout.write(`wrote migrations/${file} (${up.length} statements)\n`);
  }
  writeIndex();
} finally {
  await infra.stop();
}

/** migrations/index.ts lists every migration file, in file-name (timestamp) order. */
function writeIndex(): void {
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d+-[A-Za-z0-9]+\.ts$/.test(f))
    .sort();
  const imports = files.map((f) => {
    const [ts, n] = f.replace(/\.ts$/, '').split('-');
    return { cls: `${n}${ts}`, mod: `./${f.replace(/\.ts$/, '.js')}` };
  });
  writeFileSync(
    path.join(migrationsDir, 'index.ts'),
    `${imports.map((i) => `import { ${i.cls} } from '${i.mod}';`).join('\n')}\n\n` +
      `/**\n * Every migration, oldest first. \`npm run migration:generate -- <Name>\` writes a new file and adds\n * it here; the runner applies them in this order under a PostgreSQL advisory lock.\n */\n` +
      `export const MIGRATIONS: Function[] = [${imports.map((i) => `\n  ${i.cls},`).join('')}\n];\n`,
  );
}
