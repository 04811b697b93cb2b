import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AuthUser } from '../../common/auth-context.js';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { isCertificationAuthority, parseCertificate, type ParsedCertificate } from './certificates.js';
import { TrustAnchor } from './trust-anchor.entity.js';
import { SignatureErrors } from '../signatures.errors.js';

export interface TrustAnchorView {
  /** Null for certificates read from SIGNATURE_TRUST_DIR (remove the file to remove them). */
  id: string | null;
  source: 'DIRECTORY' | 'ADMIN';
  /** The file it came from, for DIRECTORY anchors. */
  file: string | null;
  label: string | null;
  sha256: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  createdAt: string | null;
}

interface DirectoryAnchor {
  file: string;
  cert: ParsedCertificate;
}

/** How long the folder's content is reused before it is read again (new files are picked up without a restart). */
const DIRECTORY_TTL_MS = 60_000;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates signature chains may end at: every certificate in the SIGNATURE_TRUST_DIR
 * folder (PEM, several per file allowed, or DER .cer/.crt), plus those an admin added through the
 * API (stored in the database, so every replica sees them).
 */
@Injectable()
export class TrustStore {
  private readonly log = new Logger('TrustStore');
  private directory?: { readAt: number; anchors: DirectoryAnchor[] };

  constructor(
    @InjectRepository(TrustAnchor) private readonly stored: Repository<TrustAnchor>,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** DER of every anchor, for a verification. */
  async anchors(): Promise<Uint8Array[]> {
    const [dir, rows] = await Promise.all([this.readDirectory(), this.stored.find({ select: { der: true } })]);
    return [...dir.map((a) => a.cert.der), ...rows.map((r) => new Uint8Array(r.der))];
  }

  async list(): Promise<TrustAnchorView[]> {
    const [dir, rows] = await Promise.all([this.readDirectory(), this.stored.find({ order: { createdAt: 'ASC' } })]);
    return [
      ...dir.map((a) => view(a.cert, { id: null, source: 'DIRECTORY' as const, file: a.file, label: null, createdAt: null })),
      ...rows.map((r) =>
        view(parseCertificate(new Uint8Array(r.der)), { id: r.id, source: 'ADMIN' as const, file: null, label: r.label, createdAt: r.createdAt.toISOString() }),
      ),
    ];
  }

  async add(pem: string, label: string | null, admin: AuthUser): Promise<TrustAnchorView> {
    const blocks = pem.match(PEM_BLOCK) ?? [];
    if (blocks.length !== 1) {
      throw SignatureErrors.INVALID_CERTIFICATE('Cần đúng một chứng thư số dạng PEM', 'Expected exactly one PEM certificate', [
        { field: 'pem', message: `found ${blocks.length} PEM certificate blocks` },
      ]);
    }
    let cert: ParsedCertificate;
    try {
      cert = parseCertificate(pemToDer(blocks[0]));
    } catch {
      throw SignatureErrors.INVALID_CERTIFICATE('Chứng thư số không đọc được', 'The certificate cannot be parsed', [
        { field: 'pem', message: 'not a valid X.509 certificate' },
      ]);
    }
    if (!isCertificationAuthority(cert.cert)) {
      throw SignatureErrors.NOT_A_CA_CERTIFICATE([{ field: 'pem', message: 'basicConstraints cA is not true' }]);
    }
    const { sha256 } = cert.info;
    if ((await this.stored.existsBy({ sha256 })) || (await this.readDirectory()).some((a) => a.cert.info.sha256 === sha256)) {
      throw SignatureErrors.TRUST_ANCHOR_EXISTS({ sha256 });
    }
    const row = await this.stored.save(
      this.stored.create({
        sha256,
        der: Buffer.from(cert.der),
        subject: cert.info.subject,
        issuer: cert.info.issuer,
        notAfter: new Date(cert.info.notAfter),
        label,
        addedBy: admin.kind === 'user' ? admin.id : null,
        createdAt: this.clock.now(),
      }),
    );
    this.log.log(`trust anchor added: ${row.subject} (${sha256})`);
    return view(cert, { id: row.id, source: 'ADMIN', file: null, label, createdAt: row.createdAt.toISOString() });
  }

  async remove(id: string): Promise<void> {
    const result = await this.stored.delete({ id });
    if (!result.affected) throw SignatureErrors.TRUST_ANCHOR_NOT_FOUND();
  }

  private async readDirectory(): Promise<DirectoryAnchor[]> {
    const now = Date.now();
    if (this.directory && now - this.directory.readAt < DIRECTORY_TTL_MS) return this.directory.anchors;
    const dir = this.config.signatures.trustDir;
    let names: string[] = [];
    try {
      names = (await readdir(dir)).filter((n) => /\.(pem|crt|cer|der)$/i.test(n)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`cannot read SIGNATURE_TRUST_DIR ${dir}: ${(e as Error).message}`);
    }
    const anchors: DirectoryAnchor[] = [];
    for (const name of names) {
      const content = await readFile(path.join(dir, name));
      const text = content.toString('latin1');
      const ders = text.includes('-----BEGIN CERTIFICATE-----') ? (text.match(PEM_BLOCK) ?? []).map(pemToDer) : [new Uint8Array(content)];
      for (const der of ders) {
        try {
          anchors.push({ file: name, cert: parseCertificate(der) });
        } catch {
          this.log.warn(`SIGNATURE_TRUST_DIR: ${name} holds something that is not a certificate; skipped`);
        }
      }
    }
    this.directory = { readAt: now, anchors };
    return anchors;
  }
}

function pemToDer(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64'));
}

/** The report's description of a certificate (CertificateInfo: RFC 4514 names, hex serial, SHA-256), plus where it came from. */
function view(cert: ParsedCertificate, extra: Pick<TrustAnchorView, 'id' | 'source' | 'file' | 'label' | 'createdAt'>): TrustAnchorView {
  return { ...extra, ...cert.info };
}
