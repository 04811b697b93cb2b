import { Logger } from '@nestjs/common';
import type { OutboxDelivery, OutboxRelay } from './outbox-relay.js';
import { Sleeper } from '../common/sleeper.js';

export interface RelayLoopOptions {
  batch: number;
  /** Idle pause when a pass found less than a full batch. */
  pollMs: number;
  /** Pause after a failed pass (Redis or PostgreSQL unavailable). */
  errorPauseMs: number;
  /** How many loops run side by side (SKIP LOCKED keeps their batches apart). */
  loops: number;
  /** The topic's subscribers' own topics, which each claim copies its rows to (OutboxRelay.relayOnce). */
  copyTo?: readonly string[];
  /** The loop relays a subscriber's copies (`<topic>@<subscriber>`, OutboxRelay.relayCopies), not a topic's rows. */
  copies?: boolean;
}

/**
 * Keeps moving one outbox topic's rows to where they go, until stopped: full batches back to back,
 * a short pause when idle, a longer one while delivery fails (rows wait in PostgreSQL; the outage
 * is reported once, and its end too).
 */
export class RelayLoop {
  private readonly log: Logger;
  private stopping = false;
  private running: Promise<void>[] = [];
  private readonly sleeper = new Sleeper();

  constructor(
    private readonly relay: OutboxRelay,
    private readonly topic: string,
    private readonly deliver: OutboxDelivery,
    private readonly options: RelayLoopOptions,
  ) {
    this.log = new Logger(`OutboxRelay:${topic}`);
  }

  start(): void {
    this.running = Array.from({ length: this.options.loops }, () => this.run());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wakeAll();
    await Promise.allSettled(this.running);
  }

  private async run(): Promise<void> {
    let failing = false;
    while (!this.stopping) {
      let pause = this.options.pollMs;
      try {
        const n = this.options.copies
          ? await this.relay.relayCopies(this.topic, this.deliver, this.options.batch)
          : await this.relay.relayOnce(this.topic, this.deliver, this.options.batch, undefined, this.options.copyTo);
        if (failing) this.log.log('delivering again');
        failing = false;
        if (n === this.options.batch) pause = 0;
      } catch (e) {
        if (!failing) this.log.warn(`paused, rows wait in PostgreSQL: ${(e as Error).message}`);
        failing = true;
        pause = this.options.errorPauseMs;
      }
      if (pause > 0 && !this.stopping) await this.sleeper.sleep(pause);
    }
  }
}
