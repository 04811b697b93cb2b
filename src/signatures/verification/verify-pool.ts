import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { limitReport } from '../formats/limits.js';
import { CrlUnavailable, type CrlSource, type DocumentReport, type LimitKind, type VerificationLimits } from '../report.js';

/**
 * Signature verification off the API's event loop: a few child processes (VERIFY_WORKERS), each
 * started with a V8 heap limit and watched by the parent for its resident memory
 * (VERIFY_MEMORY_MB) and for the wall-clock time of each file (VERIFY_TIMEOUT_MS). A child over a
 * limit is killed (SIGKILL) and the file gets a final INDETERMINATE report naming the limit; the
 * next file starts a fresh child. Children start on first use, and verify one file at a time.
 *
 * Child processes rather than worker threads: a worker thread's heap limit does not bound the
 * ArrayBuffers a PDF parser allocates, and killing a thread stuck in a synchronous loop is not
 * possible from outside, while a process can always be killed and its whole memory counted.
 */

/** What a child is given: everything of VerificationContext but the CRL source (asked over IPC). */
export interface SerializedContext {
  trustAnchors: Uint8Array[];
  validationTime: string;
  proofOfExistence: string | null;
  limits: VerificationLimits;
}

export type ParentMessage =
  | { type: 'verify'; jobId: number; bytes: Uint8Array; contentType: string; ctx: SerializedContext }
  | { type: 'crl-result'; requestId: number; url: string; der?: Uint8Array; reason?: string };

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'done'; jobId: number; report: DocumentReport }
  | { type: 'failed'; jobId: number; message: string }
  | { type: 'crl'; requestId: number; url: string; at: string };

export interface VerifyPoolOptions {
  workers: number;
  timeoutMs: number;
  memoryMb: number;
  /** Where the children's CRL requests go (the parent's cache and network policy). */
  crls: CrlSource;
  log?: { warn(message: string): void };
}

interface Job {
  id: number;
  message: Extract<ParentMessage, { type: 'verify' }>;
  format: DocumentReport['format'];
  resolve(report: DocumentReport): void;
  reject(e: Error): void;
}

const RSS_POLL_MS = 50;
const FORMATS: Record<string, DocumentReport['format']> = { 'application/pdf': 'PDF', 'application/xml': 'XML' };

/**
 * The compiled child entry: next to this file when running from dist/, and in dist/ when this
 * file is the TypeScript source (Jest runs src/ through ts-jest; `npm test` compiles dist/ first).
 */
export function childEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return path.join(path.dirname(here), 'verify-child.js');
  let root = path.dirname(here);
  while (!existsSync(path.join(root, 'package.json'))) root = path.dirname(root);
  return path.join(root, 'dist', path.relative(root, path.dirname(here)), 'verify-child.js');
}

/** Resident memory of a process in bytes (Linux /proc), or null where it cannot be read. */
export function residentBytes(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

class Child {
  readonly process: ChildProcess;
  ready = false;
  job: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private watch: NodeJS.Timeout | null = null;
  private stderr = '';
  /** Set when this side killed the child, and why. */
  private killedFor: LimitKind | null = null;

  constructor(
    private readonly pool: VerifyPool,
    entry: string,
    private readonly opts: VerifyPoolOptions,
  ) {
    this.process = fork(entry, [], {
      execArgv: [`--max-old-space-size=${opts.memoryMb}`, '--enable-source-maps'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4096)));
    this.process.on('message', (m: ChildMessage) => this.onMessage(m));
    this.process.on('exit', (code, signal) => this.onExit(code, signal));
    this.process.on('error', (e) => this.opts.log?.warn(`verification child: ${e.message}`));
  }

  run(job: Job): void {
    this.job = job;
    // A child that died since it said it was ready: killing it (again) hands the job to onExit.
    this.process.send(job.message, (error) => error && this.process.kill('SIGKILL'));
    this.timer = setTimeout(() => this.kill('TIMEOUT'), this.opts.timeoutMs);
    this.watch = setInterval(() => {
      const rss = residentBytes(this.process.pid!);
      if (rss !== null && rss > this.opts.memoryMb * 1024 * 1024) this.kill('MEMORY');
    }, RSS_POLL_MS);
  }

  private kill(kind: LimitKind): void {
    if (!this.job || this.killedFor) return;
    this.killedFor = kind;
    this.process.kill('SIGKILL');
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.watch) clearInterval(this.watch);
    this.timer = this.watch = null;
  }

  private finish(): Job | null {
    const job = this.job;
    this.job = null;
    this.clearTimers();
    return job;
  }

  private onMessage(m: ChildMessage): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.pool.dispatch();
        return;
      case 'crl':
        this.answerCrl(m);
        return;
      case 'done':
      case 'failed': {
        if (this.job?.id !== m.jobId || this.killedFor) return;
        const job = this.finish()!;
        if (m.type === 'done') job.resolve(m.report);
        else job.reject(new Error(`verification failed: ${m.message}`));
        this.pool.dispatch();
      }
    }
  }

  private answerCrl(m: Extract<ChildMessage, { type: 'crl' }>): void {
    const reply = (answer: { der?: Uint8Array; reason?: string }) => {
      if (this.process.connected) this.process.send({ type: 'crl-result', requestId: m.requestId, url: m.url, ...answer } satisfies ParentMessage);
    };
    this.opts.crls.fetch(m.url, new Date(m.at)).then(
      (der) => reply({ der }),
      (e: unknown) => reply({ reason: e instanceof CrlUnavailable ? e.message.replace(/^CRL \S+ unavailable: /, '') : (e as Error).message }),
    );
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const job = this.finish();
    this.pool.remove(this);
    if (job) {
      // A heap over --max-old-space-size ends the process itself, with V8's message on stderr.
      const kind = this.killedFor ?? (/heap out of memory|Allocation failed/i.test(this.stderr) ? 'MEMORY' : null);
      if (kind) {
        this.opts.log?.warn(`verification child stopped at its ${kind} limit (job ${job.id})`);
        job.resolve(limitReport(job.format, job.message.ctx.validationTime, kind, kind === 'TIMEOUT' ? this.opts.timeoutMs : this.opts.memoryMb));
      } else {
        job.reject(new Error(`verification child exited (code ${code}, signal ${signal}): ${this.stderr.trim().split('\n').pop() ?? ''}`));
      }
    }
    this.pool.dispatch();
  }
}

export class VerifyPool {
  private readonly children = new Set<Child>();
  private readonly queue: Job[] = [];
  private nextJob = 0;
  private closed = false;

  constructor(
    private readonly opts: VerifyPoolOptions,
    private readonly entry = childEntry(),
  ) {}

  /** Verifies a file in a child process; a limit breach resolves with the limit report. */
  verify(bytes: Uint8Array, contentType: string, ctx: SerializedContext): Promise<DocumentReport> {
    if (this.closed) return Promise.reject(new Error('verification pool closed'));
    return new Promise((resolve, reject) => {
      const id = ++this.nextJob;
      this.queue.push({ id, message: { type: 'verify', jobId: id, bytes, contentType, ctx }, format: FORMATS[contentType] ?? 'OTHER', resolve, reject });
      this.dispatch();
    });
  }

  /** The children's process ids (for measurements). */
  pids(): number[] {
    return [...this.children].map((c) => c.process.pid!).filter(Boolean);
  }

  /** @internal */
  dispatch(): void {
    if (this.closed) return;
    for (const child of this.children) {
      if (this.queue.length === 0) return;
      if (child.ready && !child.job) child.run(this.queue.shift()!);
    }
    // Start children for what the ones already starting will not take, up to the pool's size.
    let starting = [...this.children].filter((c) => !c.ready).length;
    while (this.queue.length > starting && this.children.size < this.opts.workers) {
      this.children.add(new Child(this, this.entry, this.opts));
      starting++;
    }
  }

  /** @internal */
  remove(child: Child): void {
    this.children.delete(child);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('verification pool closed'));
    await Promise.all(
      [...this.children].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.process.exitCode !== null || c.process.signalCode !== null) return resolve();
            c.process.once('exit', () => resolve());
            c.process.kill('SIGKILL');
          }),
      ),
    );
  }
}
