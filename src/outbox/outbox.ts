import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, JobsOptions } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { RedisClient } from '../common/redis.js';
import { AppConfig } from '../config/app-config.js';
import { OutboxRelay, withTimeout, type OutboxRow } from './outbox-relay.js';
import { RelayedQueue } from './relayed-queue.js';
import { RelayLoop } from './relay-loop.js';

/**
 * An outbox topic: a kind of side effect written in the transaction that causes it. Declared once
 * (`outboxTopic`), next to the capability that writes it; exactly one capability handles it.
 */
export interface OutboxTopic<P> {
  readonly name: string;
  /** Type-only: the payload's shape. */
  readonly payload?: P;
}

const declared = new Map<string, OutboxTopic<unknown>>();

/** Declares a topic. Its name is stored in outbox rows: never rename a topic that has rows. */
export function outboxTopic<P>(name: string): OutboxTopic<P> {
  if (declared.has(name)) throw new Error(`outbox topic "${name}" is declared twice`);
  const topic: OutboxTopic<P> = { name };
  declared.set(name, topic as OutboxTopic<unknown>);
  return topic;
}

/** Every topic declared so far (in this process's loaded code). */
export function declaredTopics(): string[] {
  return [...declared.keys()];
}

/** A topic whose rows become jobs of a BullMQ queue, run by that queue's worker. */
export interface QueueHandler<P, J> {
  queue: string;
  /** One job per row: give a job id derived from the row id, so a row relayed twice is one job. */
  toJob: (row: OutboxRow<P>) => { name: string; data: J; opts: JobsOptions };
  process: (job: Job<J>) => Promise<void>;
  /** Jobs processed at once per process. */
  concurrency: number;
  /** Rows per relay pass. */
  batch?: number;
}

/** Sees every row of a topic another capability handles, at its own pace (idempotent per row). */
export type OutboxObserver<P> = (rows: OutboxRow<P>[]) => Promise<void>;

interface Subscription {
  name: string;
  /** The subscriber's own topic, `<topic>@<name>`, where its copies of the rows wait. */
  topic: string;
  observer: OutboxObserver<unknown>;
}

/** A topic whose rows are delivered by a function (idempotent per row), in relay passes. */
export interface DeliveryHandler<P> {
  deliver: (rows: OutboxRow<P>[]) => Promise<void>;
  batch?: number;
  /** Relay loops side by side (SKIP LOCKED keeps their batches apart). */
  loops?: number;
}

type Registered = { kind: 'queue'; relayed: RelayedQueue<unknown> } | { kind: 'delivery'; handler: DeliveryHandler<unknown> };

const DELIVERY_ERROR_PAUSE_MS = 1000;

/**
 * The one owner of the `outbox` table. `enqueue` (below) is its only writer (submission's single-statement
 * insert uses `outboxInsertSelect`, the same insert as SQL text); each topic is handled once, by
 * the capability that registered it in its constructor or onModuleInit; at start-up a declared
 * topic without a handler stops the start (its rows would pile up forever), as does a second
 * handler. Where `config.runsWorkers`, the relays of every topic run here.
 */
@Injectable()
export class Outbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Outbox');
  private readonly handlers = new Map<string, Registered>();
  private readonly subscriptions = new Map<string, Subscription[]>();
  private readonly loops: RelayLoop[] = [];

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(OutboxRelay) private readonly relay: OutboxRelay,
    @Inject(RedisClient) private readonly redis: RedisClient,
  ) {}

  /** Handles a topic by a BullMQ queue and its worker; returns the queue's handle (for follow-up jobs). */
  handleWithQueue<P, J>(topic: OutboxTopic<P>, handler: QueueHandler<P, J>): RelayedQueue<J> {
    const relayed = new RelayedQueue<J>(this.config, this.relay, this.redis, {
      name: handler.queue,
      topic: topic.name,
      concurrency: handler.concurrency,
      batch: handler.batch,
      copyTo: () => this.subscriberTopics(topic.name),
      toJob: handler.toJob as (row: OutboxRow) => { name: string; data: J; opts: JobsOptions },
      process: handler.process,
      log: new Logger(`Outbox:${topic.name}`),
    });
    this.register(topic, { kind: 'queue', relayed: relayed as RelayedQueue<unknown> });
    return relayed;
  }

  /** Handles a topic by delivering its rows with a function. */
  handleWithDelivery<P>(topic: OutboxTopic<P>, handler: DeliveryHandler<P>): void {
    this.register(topic, { kind: 'delivery', handler: handler as DeliveryHandler<unknown> });
  }

  /**
   * Lets another capability see every row of a topic that one handles (a status change feeds the
   * applicant's notice, and also integrators' webhooks, the portal sync and the figures). Each
   * subscriber has its own progress: the topic's relay copies every row, in its claim and once per
   * row, to `outbox_fanout` under the subscriber's own topic `<topic>@<name>`, and the
   * subscriber's relay delivers those copies with the original row's id. A throwing subscriber waits and retries its own rows only:
   * it holds back neither the handler nor the other subscribers. `name` is stored in the copies:
   * never rename one that has rows waiting. Subscribers must be idempotent per row, like handlers.
   */
  observe<P>(topic: OutboxTopic<P>, name: string, observer: OutboxObserver<P>): void {
    if (declared.get(topic.name) !== topic) throw new Error(`outbox topic "${topic.name}" was not declared with outboxTopic()`);
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(name)) throw new Error(`outbox subscriber name "${name}": expected lower-case letters, digits and dashes`);
    const list = this.subscriptions.get(topic.name) ?? [];
    if (list.some((s) => s.name === name)) throw new Error(`outbox topic "${topic.name}" has two subscribers named "${name}"`);
    this.subscriptions.set(topic.name, [...list, { name, topic: `${topic.name}@${name}`, observer: observer as OutboxObserver<unknown> }]);
  }

  /** The subscribers' own topics of a topic (for the relay's copies). */
  subscriberTopics(topic: string): string[] {
    return (this.subscriptions.get(topic) ?? []).map((s) => s.topic);
  }

  /** The topics handled here (for tests and metrics). */
  handledTopics(): string[] {
    return [...this.handlers.keys()];
  }

  onApplicationBootstrap(): void {
    const orphans = declaredTopics().filter((t) => !this.handlers.has(t));
    if (orphans.length) {
      throw new Error(`outbox topic(s) without a handler: ${orphans.join(', ')}. Each declared topic needs exactly one Outbox.handleWith…() at start-up`);
    }
    const unhandled = [...this.subscriptions.keys()].filter((t) => !this.handlers.has(t));
    if (unhandled.length) throw new Error(`outbox topic(s) with subscribers but no handler: ${unhandled.join(', ')}`);
    if (!this.config.runsWorkers) return;
    const pollMs = this.config.deadlines.outboxPollMs;
    for (const [topic, h] of this.handlers) {
      if (h.kind === 'queue') {
        h.relayed.start();
        continue;
      }
      const loop = new RelayLoop(this.relay, topic, h.handler.deliver, {
        batch: h.handler.batch ?? 500,
        pollMs,
        errorPauseMs: DELIVERY_ERROR_PAUSE_MS,
        loops: h.handler.loops ?? 1,
        copyTo: this.subscriberTopics(topic),
      });
      loop.start();
      this.loops.push(loop);
    }
    for (const s of [...this.subscriptions.values()].flat()) {
      const loop = new RelayLoop(this.relay, s.topic, s.observer, { batch: 500, pollMs, errorPauseMs: DELIVERY_ERROR_PAUSE_MS, loops: 1, copies: true });
      loop.start();
      this.loops.push(loop);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // A pass stuck on an unreachable Redis is abandoned (every delivery is idempotent).
    await withTimeout(Promise.allSettled(this.loops.map((l) => l.stop())), 5000, 'stopping outbox relays').catch(() => undefined);
    await Promise.allSettled([...this.handlers.values()].map((h) => (h.kind === 'queue' ? h.relayed.stop() : undefined)));
  }

  private register(topic: OutboxTopic<unknown>, handler: Registered): void {
    if (declared.get(topic.name) !== topic) throw new Error(`outbox topic "${topic.name}" was not declared with outboxTopic()`);
    if (this.handlers.has(topic.name)) throw new Error(`outbox topic "${topic.name}" has two handlers`);
    this.handlers.set(topic.name, handler);
    this.log.debug(`topic ${topic.name} handled (${handler.kind})`);
  }
}

/**
 * Writes side effects of `topic` in the caller's transaction; the topic's handler gets them after
 * the commit. A plain function, so module-level helpers inside a capability's transaction can call
 * it. With `key`, a row of the same topic and key is written once (later ones are dropped).
 */
export async function enqueue<P>(em: EntityManager, topic: OutboxTopic<P>, payloads: P | P[], opts: { at?: Date; key?: string } = {}): Promise<void> {
  const list = Array.isArray(payloads) ? payloads : [payloads];
  if (list.length === 0) return;
  if (opts.key !== undefined && list.length !== 1) throw new Error('an outbox key names one row: enqueue one payload with it');
  await em.query(
    `INSERT INTO outbox (topic, payload, created_at, dedupe_key) SELECT $1, p, COALESCE($3::timestamptz, now()), $4 FROM unnest($2::jsonb[]) AS p
     ON CONFLICT (topic, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
    [topic.name, list.map((p) => JSON.stringify(p)), opts.at ?? null, opts.key ?? null],
  );
}

/**
 * The outbox insert as SQL text, for a statement that writes a whole change at once (submission:
 * one round trip per dossier). `topicParam` / `payloadParam` are the statement's parameters
 * (`$24`), `from` its CTE that yields one row per message.
 */
export function outboxInsertSelect(topicParam: string, payloadParam: string, from: string): string {
  return `INSERT INTO outbox (topic, payload) SELECT ${topicParam}, ${payloadParam} FROM ${from}`;
}
