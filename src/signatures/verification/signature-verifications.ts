import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { Outbox } from '../../outbox/outbox.js';
import { FilesService } from '../../documents/files.service.js';
import { HttpCrlSource } from '../trust/crl-cache.js';
import { PublishedCrls } from '../trust/published-crls.js';
import type { CrlSource, DocumentReport } from '../report.js';
import { FileSignatureReport } from './signature-report.entity.js';
import { TrustStore } from '../trust/trust-store.js';
import { requestSignatureVerification, SIGNATURE_VERIFY_TOPIC } from './verification-request.js';
import { SIGNABLE_TYPES, unsignedTypeReport, worthRetrying } from './verify-document.js';
import { VerifyPool } from './verify-pool.js';

export const SIGNATURES_QUEUE = 'signatures';

/** What a dossier shows of an attachment's signatures. */
export interface SignatureSummary {
  state: 'PENDING' | 'VERIFIED' | 'UNVERIFIED';
  indication: FileSignatureReport['indication'];
  subIndication: FileSignatureReport['subIndication'];
  retrying: boolean;
  signers: Array<{ name: string | null; indication: string; subIndication: string | null; signingTime: string | null }>;
}

/**
 * Verifies uploaded files' signatures in the background: the request written with the upload
 * (outbox) is relayed to the `signatures` BullMQ queue; the worker reads the file (hash-checked),
 * verifies it against the trust store and the CRLs, and stores the report with the file. A result
 * that is INDETERMINATE only because revocation data could not be fetched (TRY_LATER) is stored,
 * marked `retrying`, and retried with exponential backoff; after the last attempt it is kept.
 */
@Injectable()
export class SignatureVerifications {
  private readonly log = new Logger('SignatureVerifications');
  private readonly crls: CrlSource;
  private readonly pool: VerifyPool;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly db: DataSource,
    @InjectRepository(FileSignatureReport) private readonly reports: Repository<FileSignatureReport>,
    @Inject(Outbox) outbox: Outbox,
    @Inject(FilesService) private readonly files: FilesService,
    @Inject(TrustStore) private readonly trust: TrustStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(PublishedCrls) published: PublishedCrls,
  ) {
    // Every file recorded is queued for verification in its own recording transaction.
    files.onRecorded((em, file, now) => requestSignatureVerification(em, file, now));
    this.crls = published.source(new HttpCrlSource({ allowPrivateNetworks: config.verification.crlAllowPrivateNetworks }));
    const { workers, timeoutMs, memoryMb } = config.verification;
    this.pool = new VerifyPool({ workers, timeoutMs, memoryMb, crls: this.crls, log: this.log });
    outbox.handleWithQueue(SIGNATURE_VERIFY_TOPIC, {
      queue: SIGNATURES_QUEUE,
      // Verification runs in the pool's child processes (CPU work: hashing, RSA/ECDSA); a few
      // more jobs than children keep them busy while the others read files and store reports.
      concurrency: workers + 2,
      toJob: (r) => ({
        name: 'verify',
        data: { fileId: r.payload.fileId },
        opts: {
          jobId: `verify.${r.id}`,
          attempts: config.signatures.verifyAttempts,
          backoff: { type: 'exponential', delay: config.signatures.retryDelayMs },
          removeOnComplete: 1000,
          removeOnFail: 10000,
        },
      }),
      process: (job) => this.process(job),
    });
  }

  /** The outbox stops the worker; the verification children go with the process. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }

  /** Asks for (another) verification of a file, e.g. after a trust anchor was added. */
  async request(fileId: string): Promise<void> {
    const meta = await this.files.getMeta(fileId);
    if (!meta) return;
    await this.db.transaction((em) => requestSignatureVerification(em, meta, this.clock.now()));
  }

  /** Verifies a file and stores the report (the worker's job). */
  private async verifyNow(fileId: string, attempt = { number: 1, last: true }): Promise<DocumentReport> {
    const { meta, bytes } = await this.files.readContent(fileId);
    const now = this.clock.now();
    // Off the event loop, within the time and memory limits (a breach is a final limit report).
    const report = SIGNABLE_TYPES.has(meta.contentType)
      ? await this.pool.verify(bytes, meta.contentType, {
          trustAnchors: await this.trust.anchors(),
          validationTime: now.toISOString(),
          proofOfExistence: meta.createdAt.toISOString(),
          limits: this.config.verification.limits,
        })
      : unsignedTypeReport(now);
    const retrying = worthRetrying(report) && !attempt.last;
    await this.reports.upsert(
      {
        fileId,
        state: 'VERIFIED',
        indication: report.indication,
        subIndication: report.subIndication ?? firstSubIndication(report),
        report,
        attempts: attempt.number,
        retrying,
        verifiedAt: now,
        updatedAt: now,
      },
      ['fileId'],
    );
    return report;
  }

  async reportOf(fileId: string): Promise<FileSignatureReport | null> {
    return this.reports.findOneBy({ fileId });
  }

  /** Summaries for many files at once (a dossier's attachments). Files never verified are UNVERIFIED. */
  /** The files' verification summaries, inside the caller's transaction when given one (a held lock must not wait for a second connection). */
  async summaries(fileIds: string[], em?: EntityManager): Promise<Map<string, SignatureSummary>> {
    const ids = [...new Set(fileIds)];
    const repo = em ? em.getRepository(FileSignatureReport) : this.reports;
    const rows = ids.length ? await repo.findBy({ fileId: In(ids) }) : [];
    const byId = new Map(rows.map((r) => [r.fileId, r]));
    return new Map(ids.map((id) => [id, summarise(byId.get(id))]));
  }

  private async process(job: Job<{ fileId: string }>): Promise<void> {
    const attempts = job.opts.attempts ?? 1;
    const number = job.attemptsMade + 1;
    const report = await this.verifyNow(job.data.fileId, { number, last: number >= attempts });
    if (worthRetrying(report) && number < attempts) {
      // Thrown so BullMQ schedules the next attempt with backoff; the INDETERMINATE report is stored meanwhile.
      throw new Error(`revocation data unavailable for file ${job.data.fileId}; retrying`);
    }
  }
}

function firstSubIndication(report: DocumentReport): FileSignatureReport['subIndication'] {
  return report.signatures.find((s) => s.indication === report.indication)?.subIndication ?? null;
}

function summarise(row: FileSignatureReport | undefined): SignatureSummary {
  if (!row) return { state: 'UNVERIFIED', indication: null, subIndication: null, retrying: false, signers: [] };
  return {
    state: row.state,
    indication: row.indication,
    subIndication: row.subIndication,
    retrying: row.retrying,
    signers: (row.report?.signatures ?? []).map((s) => ({
      name: s.signer?.name ?? null,
      indication: s.indication,
      subIndication: s.subIndication,
      signingTime: s.signingTime,
    })),
  };
}
