import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { descendantsOf, processTable } from './process-table.js';

describe('processTable / descendantsOf', () => {
  it('finds a child and its grandchild with their command lines and environment', async () => {
    // A child that starts a grandchild, then both wait.
    const child = spawn(
      process.execPath,
      ['-e', `require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'inherit' }); setTimeout(() => {}, 20000)`],
      {
        env: { ...process.env, MOTCUA_PROBE: 'probe-42' },
        stdio: 'ignore',
      },
    );
    try {
      let below: ReturnType<typeof descendantsOf> = [];
      for (let i = 0; i < 100 && below.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        below = [...processTable().filter((p) => p.pid === child.pid), ...descendantsOf(child.pid!)];
      }
      const [me, grandchild] = below;
      expect(me).toMatchObject({ pid: child.pid, ppid: process.pid });
      expect(me.cmdline()).toContain('child_process');
      expect(me.env('MOTCUA_PROBE')).toBe('probe-42');
      expect(me.env('NOT_SET_ANYWHERE')).toBeUndefined();
      expect(grandchild.ppid).toBe(child.pid);
      expect(grandchild.cmdline()).toContain('setTimeout');
      expect(descendantsOf(process.pid).map((p) => p.pid)).toEqual(expect.arrayContaining([child.pid, grandchild.pid]));
      expect(me.cpuSeconds).toBeGreaterThanOrEqual(0);
    } finally {
      for (const p of descendantsOf(child.pid!)) process.kill(p.pid, 'SIGKILL');
      child.kill('SIGKILL');
    }
  });
});
