#!/usr/bin/env node
// The house's own checks, run by `npm run check:house` and .ci/run (no build needed):
//   1. the module map (scripts/house/module-map.json) covers every folder of src/, floors are
//      known, `uses` stay on a folder's own floor and form no cycle;
//   2. every table (an @Entity) is named in SQL (FROM/JOIN/INTO/UPDATE) only under its owner's
//      folder, or in the map's short `sqlAllow` list;
//   3. docs/ARCHITECTURE.md names every folder, every table and every outbox topic.
// The import rules themselves (floors, `uses`, `onlyFrom`) are dependency-cruiser's, generated
// from the same map by .dependency-cruiser.cjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const map = JSON.parse(fs.readFileSync(path.join(root, 'scripts/house/module-map.json'), 'utf8'));
const problems = [];
const problem = (s) => problems.push(s);

// 1. The map against the tree.
const floors = new Set(map.floors.map((f) => f.floor));
const entries = fs.readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((e) => !e.name.endsWith('.json'));
for (const e of entries) {
  const name = e.name;
  if (!(name in map.folders) && !map.root.includes(name))
    problem(`src/${name}${e.isDirectory() ? '/' : ''} is not in the module map (scripts/house/module-map.json)`);
}
for (const [name, f] of Object.entries(map.folders)) {
  if (!fs.existsSync(path.join(root, 'src', name))) problem(`the module map lists src/${name}/, which does not exist`);
  if (!floors.has(f.floor)) problem(`src/${name}/ is on floor ${f.floor}, which the map does not define`);
  for (const u of f.uses) {
    const other = map.folders[u];
    if (!other) problem(`src/${name}/ uses ${u}, which is not in the map`);
    else if (other.floor !== f.floor)
      problem(
        `src/${name}/ lists ${u} in uses, but ${u} is on floor ${other.floor}, not ${f.floor} (lower floors need no listing; higher ones are not allowed)`,
      );
  }
}
const visiting = new Set();
const done = new Set();
const visit = (name, trail) => {
  if (done.has(name)) return;
  if (visiting.has(name)) {
    problem(`the map's uses form a cycle: ${[...trail, name].join(' → ')}`);
    return;
  }
  visiting.add(name);
  for (const u of map.folders[name]?.uses ?? []) visit(u, [...trail, name]);
  visiting.delete(name);
  done.add(name);
};
Object.keys(map.folders).forEach((n) => visit(n, []));

// 2. Tables and their owners.
const tsFiles = [];
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) tsFiles.push(p);
  }
};
walk(path.join(root, 'src'));
const rel = (p) => path.relative(root, p).split(path.sep).join('/');
const folderOf = (file) => rel(file).split('/')[1];
const owners = new Map();
for (const f of tsFiles) {
  for (const m of fs.readFileSync(f, 'utf8').matchAll(/@Entity\(\s*'([a-z_][a-z0-9_]*)'/g)) owners.set(m[1], folderOf(f));
}
const names = [...owners.keys()].sort((a, b) => b.length - a.length);
const sqlRef = new RegExp(`\\b(FROM|JOIN|INTO|UPDATE)\\s+(?:ONLY\\s+)?"?(${names.join('|')})"?(?![\\w-])`, 'g');
const allowed = (file, table) => map.sqlAllow.some((a) => a.file === rel(file) && a.tables.includes(table));
for (const f of tsFiles) {
  const folder = folderOf(f);
  if (map.root.includes(folder) || map.root.includes(path.basename(f))) continue;
  const text = fs.readFileSync(f, 'utf8');
  const seen = new Set();
  for (const m of text.matchAll(sqlRef)) {
    const table = m[2];
    const owner = owners.get(table);
    if (owner === folder || allowed(f, table) || seen.has(table)) continue;
    seen.add(table);
    const line = text.slice(0, m.index).split('\n').length;
    problem(
      `${rel(f)}:${line} names the table ${table} (${m[1]} ${table}), which src/${owner}/ owns: use what the owner exports (a read function or an SQL fragment kept beside the table)`,
    );
  }
}
for (const a of map.sqlAllow) {
  if (!a.why) problem(`sqlAllow entry for ${a.file} gives no reason ("why")`);
}

// 3. docs/ARCHITECTURE.md stays true.
const doc = fs.readFileSync(path.join(root, 'docs/ARCHITECTURE.md'), 'utf8');
for (const name of Object.keys(map.folders)) if (!doc.includes(`${name}/`)) problem(`docs/ARCHITECTURE.md does not name the folder ${name}/`);
for (const table of owners.keys()) if (!new RegExp(`\\b${table}\\b`).test(doc)) problem(`docs/ARCHITECTURE.md does not name the table ${table}`);
const topics = new Set();
for (const f of tsFiles) for (const m of fs.readFileSync(f, 'utf8').matchAll(/outboxTopic<[^>]*>\(\s*'([^']+)'\s*\)/g)) topics.add(m[1]);
for (const t of topics) if (!doc.includes(`\`${t}\``)) problem(`docs/ARCHITECTURE.md does not name the outbox topic \`${t}\``);

if (problems.length) {
  for (const p of problems) console.error(`house: ${p}`);
  console.error(`house: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(
  `house: ${Object.keys(map.folders).length} folders on ${floors.size} floors, ${owners.size} tables with their owners, ${topics.size} outbox topics documented: all good`,
);
