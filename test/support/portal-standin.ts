import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One upsert the stand-in got. */
export interface PortalUpsert {
  record: Record<string, any>;
  authorization: string;
  status: number;
  at: number;
}

/**
 * A stand-in for the national portal on 127.0.0.1: a token endpoint (client credentials), an upsert
 * endpoint that records every record per dossier code (MaHoSo), and a count query per agency and
 * day. It misbehaves on demand: `slowMs`, `down` (503, or `refuse` connections by closing the
 * listener), `rejectField` (400 naming the field), `answerTwice` (a duplicate success: the answer
 * is written twice on the socket), `lose(code)` (forget a dossier, for reconciliation).
 */
export class PortalStandIn {
  static readonly CLIENT_ID = 'motcua-test';
  static readonly CLIENT_SECRET = 's3cr3t-portal-client-secret-value';
  /** Every accepted upsert, per dossier code, in arrival order. */
  readonly byCode = new Map<string, PortalUpsert[]>();
  /** Every upsert request, accepted or not. */
  readonly requests: PortalUpsert[] = [];
  tokensIssued = 0;
  slowMs = 0;
  down = false;
  rejectField: string | null = null;
  answerTwice = false;
  private server?: http.Server;
  private port = 0;
  private readonly tokens = new Set<string>();

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  env(): Record<string, string> {
    return {
      PORTAL_SYNC_ENABLED: 'true',
      PORTAL_SYNC_URL: `${this.baseUrl}/hoso/dongbo`,
      PORTAL_TOKEN_URL: `${this.baseUrl}/oauth/token`,
      PORTAL_COUNT_URL: `${this.baseUrl}/hoso/dem`,
      PORTAL_CLIENT_ID: PortalStandIn.CLIENT_ID,
      PORTAL_CLIENT_SECRET: PortalStandIn.CLIENT_SECRET,
    };
  }

  lose(code: string): void {
    this.byCode.delete(code);
  }

  statuses(code: string): number[] {
    return (this.byCode.get(code) ?? []).map((u) => u.record.TrangThaiHoSo);
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.answer(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening (connections are refused) until restart(). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s)
      await new Promise<void>((r) => {
        s.close(() => r());
        s.closeAllConnections();
      });
  }

  async restart(): Promise<void> {
    await this.start(this.port);
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const json = (status: number, b: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(b));
    };
    if (this.slowMs) await new Promise((r) => setTimeout(r, this.slowMs));
    if (this.down) return json(503, { error: 'maintenance' });
    const parsed = safeJson(body);
    if (req.url === '/oauth/token') {
      if (parsed.client_id !== PortalStandIn.CLIENT_ID || parsed.client_secret !== PortalStandIn.CLIENT_SECRET) return json(401, { error: 'invalid_client' });
      const token = `tok-${++this.tokensIssued}-${Math.random().toString(36).slice(2)}`;
      this.tokens.add(token);
      return json(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
    }
    const auth = String(req.headers.authorization ?? '');
    if (!this.tokens.has(auth.replace(/^Bearer /, ''))) return json(401, { error: 'invalid_token' });
    if (req.url === '/hoso/dem') {
      const n = [...this.byCode.values()].filter((ups) => {
        const r = ups[ups.length - 1].record;
        return r.MaDonViTiepNhan === parsed.MaDonViTiepNhan && String(r.NgayNopHoSo).slice(0, 8) === parsed.Ngay;
      }).length;
      return json(200, { SoLuong: n });
    }
    if (req.url !== '/hoso/dongbo') return json(404, { error: 'not found' });
    const upsert: PortalUpsert = { record: parsed, authorization: auth, status: 200, at: Date.now() };
    if (this.rejectField && this.rejectField in parsed) {
      upsert.status = 400;
      this.requests.push(upsert);
      return json(400, { error: 'INVALID_FIELD', field: this.rejectField, message: `Trường ${this.rejectField} không hợp lệ` });
    }
    this.requests.push(upsert);
    this.byCode.set(parsed.MaHoSo, [...(this.byCode.get(parsed.MaHoSo) ?? []), upsert]);
    if (this.answerTwice) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify({ ok: true, MaHoSo: parsed.MaHoSo }));
      res.end(JSON.stringify({ ok: true, MaHoSo: parsed.MaHoSo, duplicate: true }));
      return;
    }
    json(200, { ok: true, MaHoSo: parsed.MaHoSo });
  }

  async close(): Promise<void> {
    await this.stop();
  }
}

function safeJson(s: string): Record<string, any> {
  try {
    return JSON.parse(s);
  } catch {
    return {};
  }
}
