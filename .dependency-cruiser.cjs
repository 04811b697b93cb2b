// The import rules of the house, generated from its map (scripts/house/module-map.json): a folder
// imports only folders on lower floors, and on its own floor only those it `uses`; `onlyFrom`
// narrows who may import a folder at all; nothing imports the composition root. Run with
// `npm run check:deps` (and in .ci/run). Type-only imports count: a type is a dependency too.
const map = require('./scripts/house/module-map.json');

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const folders = Object.entries(map.folders);
const rootFolders = map.root.filter((r) => !r.endsWith('.ts'));
const rootFiles = map.root.filter((r) => r.endsWith('.ts'));
const rootPath = `^src/((${rootFolders.map(esc).join('|')})/|(${rootFiles.map(esc).join('|')})$)`;

const rules = [];
for (const [name, f] of folders) {
  const above = folders
    .filter(([other, o]) => other !== name && (o.floor > f.floor || (o.floor === f.floor && !f.uses.includes(other))))
    .map(([other]) => esc(other));
  rules.push({
    name: `floors:${name}`,
    comment: `src/${name}/ (floor ${f.floor}) may import lower floors${f.uses.length ? ` and, on its own floor, ${f.uses.join(', ')}` : ''}: a lower folder that must make something happen above declares a hook or publishes an outbox topic`,
    severity: 'error',
    from: { path: `^src/${esc(name)}/` },
    to: { path: above.length ? `^src/(${above.join('|')})/|${rootPath}` : rootPath },
  });
}
for (const [name, allowed] of Object.entries(map.onlyFrom)) {
  rules.push({
    name: `only-from:${name}`,
    comment: `src/${name}/ is imported only by ${allowed.join(', ')} and the composition root`,
    severity: 'error',
    from: { pathNot: `^src/(${[name, ...allowed].map(esc).join('|')})/|${rootPath}` },
    to: { path: `^src/${esc(name)}/` },
  });
}
rules.push({
  name: 'no-circular',
  comment: 'modules import each other in a loop: split the shared part out (a loop hides an order of initialisation and makes the floors meaningless)',
  severity: 'error',
  from: {},
  to: { circular: true },
});

module.exports = {
  forbidden: rules,
  options: {
    includeOnly: '^src/',
    exclude: { path: '\\.spec\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6'],
  },
};
