import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  if (globalThis.__MOTCUA_STOP__) await globalThis.__MOTCUA_STOP__();
  if (process.env.MOTCUA_TEST_DIR) rmSync(process.env.MOTCUA_TEST_DIR, { recursive: true, force: true });
}
