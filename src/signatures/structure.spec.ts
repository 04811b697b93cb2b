import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The shape of the signatures capability (docs/ARCHITECTURE.md): verification (formats/, trust/,
 * verification/) never imports the signer's code, and no production file imports the test
 * harnesses (src/signatures/testing/, test/).
 */
const SRC = path.resolve('src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/** The files a source file imports, resolved to paths under src/ (relative imports only). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\b(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => path.relative(SRC, path.resolve(path.dirname(file), m[1])));
}

const offending = (files: string[], forbidden: (target: string) => boolean) =>
  files.flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((target) => `${path.relative(SRC, file)} -> ${target}`),
  );

describe('signatures capability structure', () => {
  it('verification, formats and trust import nothing from signing/', () => {
    const verifier = [
      ...['formats', 'trust', 'verification'].flatMap((dir) => sourceFiles(path.join(SRC, 'signatures', dir))),
      path.join(SRC, 'signatures', 'report.ts'),
      path.join(SRC, 'signatures', 'signatures.module.ts'),
    ];
    expect(offending(verifier, (target) => target.startsWith(`signatures${path.sep}signing${path.sep}`))).toEqual([]);
  });

  it('no production file imports the test harnesses', () => {
    const production = sourceFiles(SRC).filter((file) => !file.startsWith(path.join(SRC, 'signatures', 'testing') + path.sep));
    expect(
      offending(production, (target) => target.startsWith(`signatures${path.sep}testing${path.sep}`) || target.startsWith(`..${path.sep}test${path.sep}`)),
    ).toEqual([]);
  });
});
