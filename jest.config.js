// Jest runs in ESM mode (Nest 12 is ESM-only): see ../shared/TOOLCHAIN.md.
// Unit specs live next to the code (src/**/*.spec.ts); e2e specs in test/ run against the real
// PostgreSQL and Redis that test/setup/global-setup.js starts once for the whole run.
export default {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
