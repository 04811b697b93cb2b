import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import ipaddr from 'ipaddr.js';

const TYPE_A = 1;
const TYPE_AAAA = 28;

/** What the stand-in answers for one name: its A and AAAA records (none of a type: an empty answer). */
export interface DnsRecords {
  A?: string[];
  AAAA?: string[];
}

/**
 * A stand-in for a DNS server on 127.0.0.1 (UDP), for the app's WEBHOOK_DNS_SERVERS: answers A
 * and AAAA queries from `records` (which a test changes between two lookups, as a rebinding
 * attacker's server would), NXDOMAIN for a name it does not know. TTL 0, so nothing is cached.
 */
export class DnsStandIn {
  readonly records = new Map<string, DnsRecords>();
  readonly asked: Array<{ name: string; type: number }> = [];
  private socket?: dgram.Socket;

  /** `127.0.0.1:port`, as WEBHOOK_DNS_SERVERS takes it. */
  get address(): string {
    return `127.0.0.1:${(this.socket!.address() as AddressInfo).port}`;
  }

  set(name: string, records: DnsRecords): void {
    this.records.set(name.toLowerCase(), records);
  }

  async start(): Promise<this> {
    this.socket = dgram.createSocket('udp4');
    this.socket.on('message', (query, from) => {
      const answer = this.answer(query);
      if (answer) this.socket!.send(answer, from.port, from.address);
    });
    await new Promise<void>((resolve) => this.socket!.bind(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.socket ? this.socket.close(() => resolve()) : resolve()));
  }

  /** The response to one query (RFC 1035 §4): the question echoed, then the records of its type. */
  private answer(query: Buffer): Buffer | null {
    if (query.length < 12 || query.readUInt16BE(4) !== 1) return null;
    const labels: string[] = [];
    let at = 12;
    while (at < query.length && query[at] !== 0) {
      labels.push(query.subarray(at + 1, at + 1 + query[at]).toString('ascii'));
      at += 1 + query[at];
    }
    const questionEnd = at + 5;
    if (questionEnd > query.length) return null;
    const name = labels.join('.').toLowerCase();
    const type = query.readUInt16BE(at + 1);
    this.asked.push({ name, type });
    const known = this.records.get(name);
    const addresses = !known ? [] : type === TYPE_A ? (known.A ?? []) : type === TYPE_AAAA ? (known.AAAA ?? []) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    // QR, authoritative, the client's RD, RA; NXDOMAIN for an unknown name.
    header.writeUInt16BE(0x8480 | (query.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(addresses.length, 6);
    const records = addresses.map((address) => {
      const data = Buffer.from(ipaddr.parse(address).toByteArray());
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(type, 2);
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(0, 6); // TTL
      rr.writeUInt16BE(data.length, 10);
      return Buffer.concat([rr, data]);
    });
    return Buffer.concat([header, query.subarray(12, questionEnd), ...records]);
  }
}
