import http from 'node:http';
import type { AddressInfo } from 'node:net';
import standardwebhooks from 'standardwebhooks';

/** One POST the receiver got, and whether the independent `standardwebhooks` package accepted its signature. */
export interface Received {
  id: string;
  timestamp: string;
  signatures: string[];
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  verified: boolean;
  /** What the receiver answered. */
  status: number;
  at: number;
}

/** An answer the receiver gives instead of 200 (the next one in the script is used per request). */
export interface Misbehaviour {
  status?: number;
  retryAfter?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** The answer's body instead of `{"ok": …}`. */
  body?: string;
}

/**
 * A stand-in for an integrator's webhook receiver on 127.0.0.1: verifies every delivery's
 * signature with the `standardwebhooks` npm package (an implementation independent of ours),
 * records it, and answers 200, or what `script` (one entry per request, then 200) or `always` says:
 * 500, 410, 429 with Retry-After, slow, or an odd body.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private server?: http.Server;
  private script: Misbehaviour[] = [];
  always?: Misbehaviour;
  secret = '';

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** `http://127.0.0.1:<port>`: what an admin allows for the receiver's owner. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get url(): string {
    return `${this.origin}/hooks`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = {
          'webhook-id': String(req.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        };
        const plan = this.script.shift() ?? this.always ?? {};
        const status = plan.status ?? 200;
        this.received.push({
          id: headers['webhook-id'],
          timestamp: headers['webhook-timestamp'],
          signatures: headers['webhook-signature'].split(' '),
          body,
          payload: safeJson(body),
          verified: this.verifies(this.secret, body, headers),
          status,
          at: Date.now(),
        });
        const answer = () => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json', ...(plan.retryAfter ? { 'retry-after': plan.retryAfter } : {}) });
          res.end(plan.body ?? JSON.stringify({ ok: status < 300 }));
        };
        if (plan.delayMs) setTimeout(answer, plan.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The next requests get these answers, in order. */
  next(...answers: Misbehaviour[]): void {
    this.script.push(...answers);
  }

  /** Whether `secret` verifies the delivery (the package accepts a header with several signatures if one matches). */
  verifies(secret: string, body: string, headers: Record<string, string>): boolean {
    try {
      new standardwebhooks.Webhook(secret).verify(body, headers);
      return true;
    } catch {
      return false;
    }
  }

  /** The deliveries of one message id. */
  of(id: string): Received[] {
    return this.received.filter((r) => r.id === id);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function safeJson(body: string): Received['payload'] {
  try {
    return JSON.parse(body);
  } catch {
    return { type: '', timestamp: '', data: {} };
  }
}
