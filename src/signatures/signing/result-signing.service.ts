import { Readable } from 'node:stream';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource, In, type EntityManager, type Repository } from 'typeorm';
import { UsersService } from '../../auth/users.service.js';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { FilesService } from '../../documents/files.service.js';
import { SignatureVerifications } from '../verification/signature-verifications.js';
import { journalTransaction, readDossierHeader, recordDossierEvent } from '../../dossier-record/journal.js';
import { enqueue, Outbox, outboxTopic } from '../../outbox/outbox.js';
import { RelayedQueue } from '../../outbox/relayed-queue.js';
import { publishIntegrationEvents } from '../../integration-events/integration-events.js';
import { ResultSigning, type ResultSigningStatus } from './result-signing.entity.js';
import { SigningProvider, SigningRefused } from './signing-provider.js';
import { EVENT } from '../../dossier-record/event-types.js';

export const SIGNING_QUEUE = 'signing';
export const SIGNING_START_TOPIC = outboxTopic<SigningJob>('signing.start');

/** What a dossier shows of its result's signature. */
export interface ResultSignatureView {
  status: ResultSigningStatus;
  provider: 'local' | 'remote';
  /** The signed document once SIGNED (the result the citizen receives). */
  signedFileId: string | null;
  signer: string | null;
  signedAt: string | null;
  /** The verifier's indication for the signed document (null until verified). */
  indication: string | null;
  expiresAt: string | null;
  message: string | null;
}

type SigningJob = {
  dossierId: string;
  round: number;
  /** A poll the callback asked for: it does not schedule the next one (the regular chain does). */ once?: boolean;
};

/**
 * Signs approved results through the configured SigningProvider. The approval writes the request
 * (a result_signings row and an outbox message) in its own transaction; a BullMQ worker asks the
 * provider; a remote request is polled (and may be hurried by the provider's callback) until it is
 * SIGNED, REJECTED or EXPIRED. The signed PDF is stored as a new file, which the service's own
 * verifier checks like any upload; `return` waits for that verification to pass.
 */
@Injectable()
export class ResultSigningService implements OnModuleInit {
  private readonly log = new Logger('ResultSigning');
  private readonly jobs: RelayedQueue<SigningJob>;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(DataSource) private readonly db: DataSource,
    @InjectRepository(ResultSigning) private readonly signings: Repository<ResultSigning>,
    @Inject(Outbox) outbox: Outbox,
    @Inject(SigningProvider) private readonly provider: SigningProvider,
    @Inject(FilesService) private readonly files: FilesService,
    @Inject(SignatureVerifications) private readonly verifications: SignatureVerifications,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.jobs = outbox.handleWithQueue(SIGNING_START_TOPIC, {
      queue: SIGNING_QUEUE,
      concurrency: 4,
      batch: 100,
      toJob: (r) => ({
        name: 'start',
        data: r.payload,
        opts: { jobId: `signing-start.${r.id}`, attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 10000 },
      }),
      process: (job) => this.run(job),
    });
  }

  private get queue() {
    return this.jobs.queue;
  }

  /** Whoever may read the unsigned result may read the signed one. */
  onModuleInit(): void {
    this.files.registerReadPolicy({
      name: 'signed-results',
      readableIds: async (user, ids) => {
        const rows = await this.signings.findBy({ signedFileId: In([...ids]) });
        if (rows.length === 0) return [];
        const sources = await this.files.readableIds(
          rows.map((r) => r.sourceFileId),
          user,
        );
        return rows.filter((r) => sources.has(r.sourceFileId)).map((r) => r.signedFileId!);
      },
    });
  }

  /**
   * In the approval's transaction: asks for the result to be signed by `signerUserId` (a new round
   * when an earlier request was rejected, lapsed or failed).
   */
  async request(em: EntityManager, r: { dossierId: string; sourceFileId: string; signerUserId: string; reason: string; now: Date }): Promise<void> {
    const [row] = await em.query(
      `INSERT INTO result_signings (dossier_id, status, source_file_id, signer_user_id, provider, reason, requested_at, round)
       VALUES ($1, 'PENDING_SIGNATURE', $2, $3, $4, $5, $6, 1)
       ON CONFLICT (dossier_id) DO UPDATE SET status = 'PENDING_SIGNATURE', source_file_id = $2, signer_user_id = $3, provider = $4, reason = $5,
         requested_at = $6, round = result_signings.round + 1, signed_file_id = NULL, request_id = NULL, expires_at = NULL, completed_at = NULL, message = NULL
       RETURNING round`,
      [r.dossierId, r.sourceFileId, r.signerUserId, this.provider.name, r.reason.slice(0, 500), r.now],
    );
    await enqueue(em, SIGNING_START_TOPIC, { dossierId: r.dossierId, round: row.round });
  }

  /** The result signings of these dossiers, inside the caller's transaction when given one (a held lock must not wait for a second connection). */
  async views(dossierIds: string[], em?: EntityManager): Promise<Map<string, ResultSignatureView>> {
    const repo = em ? em.getRepository(ResultSigning) : this.signings;
    const rows = dossierIds.length ? await repo.findBy({ dossierId: In(dossierIds) }) : [];
    const summaries = await this.verifications.summaries(
      rows.flatMap((r) => (r.signedFileId ? [r.signedFileId] : [])),
      em,
    );
    return new Map(
      rows.map((r) => {
        const s = r.signedFileId ? summaries.get(r.signedFileId) : undefined;
        const signer = s?.signers.at(-1);
        return [
          r.dossierId,
          {
            status: r.status,
            provider: r.provider,
            signedFileId: r.signedFileId,
            signer: signer?.name ?? null,
            signedAt: signer?.signingTime ?? r.completedAt?.toISOString() ?? null,
            indication: s?.indication ?? null,
            expiresAt: r.expiresAt?.toISOString() ?? null,
            message: r.message,
          },
        ];
      }),
    );
  }

  /** The remote service says a request moved: poll it now instead of at the next interval. */
  async hurry(requestId: string): Promise<boolean> {
    const row = await this.signings.findOneBy({ requestId, status: 'PENDING_SIGNATURE' });
    if (!row || !this.queue) return false;
    await this.queue.add(
      'poll',
      { dossierId: row.dossierId, round: row.round, once: true },
      { jobId: `signing-callback.${row.dossierId}.${row.round}.${this.clock.now().getTime()}`, removeOnComplete: 100, removeOnFail: 1000 },
    );
    return true;
  }

  private async current(job: SigningJob): Promise<ResultSigning | null> {
    const row = await this.signings.findOneBy({ dossierId: job.dossierId });
    return row && row.round === job.round && row.status === 'PENDING_SIGNATURE' ? row : null;
  }

  /**
   * One job. A signing request never stays pending for want of a retry: a start that fails on its
   * last attempt ends FAILED (the leader may ask again), and a poll that fails (the remote service
   * unreachable) is tried again at the next interval until the request lapses.
   */
  private async run(job: Job<SigningJob>): Promise<void> {
    if (job.name === 'poll') {
      try {
        return await this.pollOnce(job.data);
      } catch (e) {
        const row = await this.current(job.data);
        if (!row) return;
        if (row.expiresAt && this.clock.now() >= row.expiresAt) return this.finish(row, 'EXPIRED', 'Yêu cầu ký đã hết hạn / The signing request lapsed');
        this.log.warn(`polling the signing request of dossier ${row.dossierId} failed, trying again later: ${(e as Error).message}`);
        if (!job.data.once) await this.schedulePoll(row);
        return;
      }
    }
    try {
      await this.startOnce(job.data);
    } catch (e) {
      const row = await this.current(job.data);
      if (row && job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        return this.finish(row, 'FAILED', `Không gửi được yêu cầu ký / The signing request could not be made: ${(e as Error).message}`);
      }
      throw e; // retried by BullMQ with backoff
    }
  }

  private async startOnce(job: SigningJob): Promise<void> {
    const row = await this.current(job);
    if (!row || row.requestId) return; // done already, superseded, or already with the remote service
    const signer = await this.users.findById(row.signerUserId);
    const { meta, bytes } = await this.files.readContent(row.sourceFileId);
    const dossier = (await readDossierHeader(this.db, row.dossierId))!;
    try {
      const started = await this.provider.start({
        reference: row.dossierId,
        dossierCode: dossier.code,
        reason: row.reason,
        pdf: bytes,
        fileName: meta.fileName,
        signingTime: this.clock.now(),
        signer: { userId: row.signerUserId, username: signer?.username ?? '', fullName: signer?.fullName ?? '' },
      });
      if (started.status === 'SIGNED') return this.complete(row, started.pdf);
      await this.signings.update({ dossierId: row.dossierId, round: row.round }, { requestId: started.requestId, expiresAt: started.expiresAt });
      await this.schedulePoll(row);
    } catch (e) {
      if (e instanceof SigningRefused) return this.finish(row, 'FAILED', e.message);
      throw e;
    }
  }

  private async pollOnce(job: SigningJob): Promise<void> {
    const row = await this.current(job);
    if (!row?.requestId) return;
    const answer = await this.provider.poll(row.requestId);
    if (answer.status === 'SIGNED') return this.complete(row, answer.pdf);
    if (answer.status === 'REJECTED') return this.finish(row, 'REJECTED', answer.message);
    if (answer.status === 'EXPIRED' || (row.expiresAt && this.clock.now() >= row.expiresAt))
      return this.finish(row, 'EXPIRED', 'Yêu cầu ký đã hết hạn / The signing request lapsed');
    if (!job.once) await this.schedulePoll(row);
  }

  private async schedulePoll(row: ResultSigning): Promise<void> {
    await this.queue!.add(
      'poll',
      { dossierId: row.dossierId, round: row.round },
      {
        delay: this.config.signing.pollMs,
        jobId: `signing-poll.${row.dossierId}.${row.round}.${this.clock.now().getTime()}`,
        removeOnComplete: 100,
        removeOnFail: 1000,
      },
    );
  }

  /**
   * Stores the signed PDF as the leader's file and records the outcome in the dossier's history.
   * Storing it queues its verification like any upload's; `return` waits for that report.
   */
  private async complete(row: ResultSigning, pdf: Buffer): Promise<void> {
    const source = await this.files.getMeta(row.sourceFileId);
    const received = await this.files.receive(Readable.from([pdf]), signedName(source?.fileName ?? 'ket-qua.pdf'));
    const signed = await this.files.record(received, { kind: 'user', id: row.signerUserId });
    await journalTransaction(this.db, async (em) => {
      const updated = await em.query(
        `UPDATE result_signings SET status = 'SIGNED', signed_file_id = $3, completed_at = $4, message = NULL WHERE dossier_id = $1 AND round = $2 AND status = 'PENDING_SIGNATURE'`,
        [row.dossierId, row.round, signed.id, this.clock.now()],
      );
      if (updated[1] === 0) return;
      await recordDossierEvent(em, {
        dossierId: row.dossierId,
        type: EVENT.RESULT_SIGNED,
        actorKind: 'user',
        actorId: row.signerUserId,
        at: this.clock.now(),
        data: { provider: row.provider, signedFileId: signed.id, sha256: signed.sha256 },
      });
      await publishIntegrationEvents(em, 'result.signed', [{ dossierId: row.dossierId, data: { signedFileId: signed.id }, at: this.clock.now() }]);
    });
  }

  private async finish(row: ResultSigning, status: 'REJECTED' | 'EXPIRED' | 'FAILED', message: string): Promise<void> {
    await journalTransaction(this.db, async (em) => {
      const updated = await em.query(
        `UPDATE result_signings SET status = $3, completed_at = $4, message = $5 WHERE dossier_id = $1 AND round = $2 AND status = 'PENDING_SIGNATURE'`,
        [row.dossierId, row.round, status, this.clock.now(), message.slice(0, 1000)],
      );
      if (updated[1] === 0) return;
      await recordDossierEvent(em, {
        dossierId: row.dossierId,
        type: EVENT[`RESULT_SIGNING_${status}`],
        actorKind: 'system',
        actorId: null,
        at: this.clock.now(),
        data: { provider: row.provider, message },
      });
    });
    this.log.warn(`result of dossier ${row.dossierId} not signed: ${status} (${message})`);
  }
}

function signedName(fileName: string): string {
  return fileName.replace(/(\.pdf)?$/i, '-da-ky.pdf');
}
