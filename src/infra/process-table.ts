import { readdirSync, readFileSync } from 'node:fs';

/** One line of Linux's process table (/proc), as the benchmarks and the process tests read it. */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** The kernel's name for it: `node` on Node 20, `MainThread` on Node 24, `postgres`, `redis-server`. */
  comm: string;
  /** User + system CPU time so far (clock ticks of 1/100 s). */
  cpuSeconds: number;
  /** Its command line, arguments joined by spaces ('' once gone). */
  cmdline(): string;
  /** One variable of its environment (readable for our own processes), undefined if unset or gone. */
  env(name: string): string | undefined;
}

const readOr = (file: string, fallback = '') => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback; // the process is gone meanwhile
  }
};

/** Every process, read once from /proc (Linux only; processes that end meanwhile are skipped). */
export function processTable(): ProcessEntry[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d): ProcessEntry[] => {
      const stat = readOr(`/proc/${d}/stat`);
      if (!stat) return [];
      // "pid (comm) state ppid ... utime stime ...": comm may hold spaces and parentheses, so fields are counted after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [
        {
          pid: Number(d),
          ppid: Number(fields[1]),
          comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
          cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100,
          cmdline: () => readOr(`/proc/${d}/cmdline`).replace(/\0/g, ' ').trim(),
          env: (name) => new RegExp(`(?:^|\\0)${name}=([^\\0]*)`).exec(readOr(`/proc/${d}/environ`))?.[1],
        },
      ];
    });
}

/** The processes `root` started, and theirs, all the way down (not `root` itself). */
export function descendantsOf(root: number, table: ProcessEntry[] = processTable()): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  for (let parents = new Set([root]); parents.size > 0;) {
    const next = table.filter((p) => parents.has(p.ppid));
    found.push(...next);
    parents = new Set(next.map((p) => p.pid));
  }
  return found;
}
