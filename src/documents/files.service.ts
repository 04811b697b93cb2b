import { randomUUID } from 'node:crypto';
import { type Readable, Writable, pipeline as pipelineCb } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { poolQuery } from '../common/pool-query.js';
import { ACCEPTED_TYPES, ContentMismatchError, ContentVerifier, UploadInspector, type InspectedContent } from './file-content.js';
import { fileNameFor } from './file-names.js';
import { FileStorage, StoredContentMissing } from './file-storage.js';
import { Role } from '../common/auth-context.js';
import { fileCorrupted, fileNotFound, uploadQuotaExceeded } from './files.errors.js';
import { StoredFile } from './stored-file.entity.js';

/** What other capabilities (and the API) know of a stored file. */
export interface FileMeta {
  id: string;
  ownerKind: AuthUser['kind'];
  ownerId: string;
  sha256: string;
  size: number;
  contentType: string;
  fileName: string;
  createdAt: Date;
}

/** Content stored by an upload but not yet recorded as a file (see FilesService.receive). */
export interface ReceivedContent extends InspectedContent {
  id: string;
  storageKey: string;
  fileName: string;
}

/**
 * Another capability's say on who may read files they do not own, e.g. the officers handling a
 * dossier that attaches them. Given the caller and some file ids (none owned by the caller), it
 * answers the ids it allows. Register one with FilesService.registerReadPolicy.
 */
export interface FileReadPolicy {
  /** For logs and error messages, e.g. "dossier-officers". */
  readonly name: string;
  readableIds(user: AuthUser, fileIds: string[]): Promise<Iterable<string>>;
  /**
   * Runs before the content of a file this policy let the caller read is served, e.g. to record
   * who read a person's documents; if it throws, nothing is served.
   */
  contentRead?(user: AuthUser, fileId: string): Promise<void>;
}

/**
 * What another capability does when a file is recorded, in the recording transaction (signatures
 * queue the file's verification, so an upload and its verification request commit together).
 * Register one with FilesService.onRecorded; files never import who listens.
 */
export type FileRecordedHook = (em: EntityManager, file: { id: string; contentType: string }, now: Date) => Promise<void>;

const DAY_MS = 24 * 3600 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Content is filed under the first two hex digits of its id, so no directory grows to millions of entries. */
export const storageKeyFor = (id: string) => `${id.slice(0, 2)}/${id}`;

/**
 * Uploaded files: storing them (checked by content), who may read them, and reading them back
 * verified against the hash taken at upload.
 */
@Injectable()
export class FilesService {
  private readonly logger = new Logger('Files');
  private readonly readPolicies: FileReadPolicy[] = [];
  private readonly recordedHooks: FileRecordedHook[] = [];

  constructor(
    @InjectRepository(StoredFile) private readonly files: Repository<StoredFile>,
    @Inject(FileStorage) private readonly storage: FileStorage,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Lets another capability grant read access to files their owner did not share with the caller.
   * Call it from that module's provider `onModuleInit`; policies are consulted in order, only for
   * files the caller does not own, and only after everything else said no.
   */
  registerReadPolicy(policy: FileReadPolicy): void {
    this.readPolicies.push(policy);
  }

  /** Adds a hook run in the transaction that records each new file (see FileRecordedHook). */
  onRecorded(hook: FileRecordedHook): void {
    this.recordedHooks.push(hook);
  }

  /**
   * Streams an upload into storage, checking its type (by content) and size as the bytes pass and
   * hashing them, without keeping it in memory. Nothing is recorded yet: `record` makes it a file,
   * `discard` removes it if the request fails first.
   */
  async receive(source: Readable, originalName: string | undefined): Promise<ReceivedContent> {
    const id = randomUUID();
    const storageKey = storageKeyFor(id);
    const inspector = new UploadInspector(this.config.fileMaxBytes);
    // The inspector may refuse the content (type, size) before the storage has attached to it, so
    // its error is caught here from the start; and it is that error the client must hear, not the
    // storage's "premature close" that follows from it.
    let refused: unknown;
    inspector.once('error', (e) => (refused = e));
    source.once('error', (e) => inspector.destroy(e));
    try {
      await this.storage.put(storageKey, source.pipe(inspector));
    } catch (e) {
      throw refused ?? e;
    }
    const inspected = inspector.result();
    return { id, storageKey, ...inspected, fileName: fileNameFor(originalName, ACCEPTED_TYPES[inspected.contentType]) };
  }

  /**
   * Refuses an upload over the caller's daily quota (files and bytes over the last 24 hours,
   * counted from the stored files): before receiving (`incomingBytes` 0) and again once the size
   * is known. Only citizens have a quota: staff and integrators' API keys are accountable
   * accounts an agency issued, whose volume is the job. Uploads in flight at the same moment are
   * not counted against each other, so a burst may pass the quota by what it holds.
   */
  async assertUploadQuota(caller: Pick<AuthUser, 'kind' | 'id' | 'role'>, incomingBytes = 0): Promise<void> {
    const { filesPerDay, bytesPerDay } = this.config.uploadQuota;
    if (caller.role !== Role.CITIZEN || (filesPerDay === 0 && bytesPerDay === 0)) return;
    const now = this.clock.now();
    const [row] = (await this.files.query(
      `SELECT count(*)::int AS files, coalesce(sum(size), 0)::bigint AS bytes, min(created_at) AS oldest
         FROM stored_files WHERE owner_kind = $1 AND owner_id = $2 AND created_at > $3`,
      [caller.kind, caller.id, new Date(now.getTime() - DAY_MS)],
    )) as Array<{ files: number; bytes: string; oldest: Date | null }>;
    const bytes = Number(row.bytes);
    // When the oldest upload of the window leaves it, there is room again.
    const retryAfter = Math.max(1, Math.ceil(((row.oldest?.getTime() ?? now.getTime()) + DAY_MS - now.getTime()) / 1000));
    // The upload at hand is not recorded yet: it is the one more file, and at least one more byte.
    if (filesPerDay > 0 && row.files + 1 > filesPerDay) throw uploadQuotaExceeded('FILES_PER_DAY', filesPerDay, row.files, retryAfter);
    if (bytesPerDay > 0 && bytes + Math.max(1, incomingBytes) > bytesPerDay) throw uploadQuotaExceeded('BYTES_PER_DAY', bytesPerDay, bytes, retryAfter);
  }

  /** Records received content as a file owned by the caller. */
  async record(received: ReceivedContent, owner: Pick<AuthUser, 'kind' | 'id'>): Promise<FileMeta> {
    const now = this.clock.now();
    const row = this.files.create({
      id: received.id,
      ownerId: owner.id,
      ownerKind: owner.kind,
      sha256: received.sha256,
      size: received.size,
      contentType: received.contentType,
      fileName: received.fileName,
      storageKey: received.storageKey,
      createdAt: now,
    });
    // The file and what its hooks record (the request to verify its signatures) commit together.
    return toMeta(
      await this.files.manager.transaction(async (em) => {
        const saved = await em.save(row);
        for (const hook of this.recordedHooks) await hook(em, saved, now);
        return saved;
      }),
    );
  }

  /**
   * The whole content of a file, checked against its upload's size and sha256, for the service's
   * own processing (signature verification, signing). No access check: callers have done theirs.
   */
  async readContent(id: string): Promise<{ meta: FileMeta; bytes: Buffer }> {
    const row = UUID.test(id) ? await this.files.findOneBy({ id }) : null;
    if (!row) throw fileNotFound();
    const chunks: Buffer[] = [];
    await this.readChecked(
      row,
      new Writable({
        write: (chunk: Buffer, _encoding, next) => {
          chunks.push(chunk);
          next();
        },
      }),
    );
    return { meta: toMeta(row), bytes: Buffer.concat(chunks) };
  }

  /** Removes received content, unless it was recorded meanwhile (then it is a file and stays). */
  async discard(received: ReceivedContent): Promise<void> {
    if (await this.files.existsBy({ id: received.id })) return;
    await this.storage.delete(received.storageKey);
  }

  /** The file, whoever owns it, or null. For other capabilities that have already checked access. */
  async getMeta(id: string): Promise<FileMeta | null> {
    if (!UUID.test(id)) return null;
    const row = await this.files.findOneBy({ id });
    return row ? toMeta(row) : null;
  }

  /**
   * The files among `ids` that the caller owns (unknown ids and others' files are left out), e.g.
   * to check that every attachment of a submitted dossier is a file its submitter uploaded.
   */
  async findOwnedBy(ids: string[], user: AuthUser): Promise<FileMeta[]> {
    const wanted = [...new Set(ids)].filter((id) => UUID.test(id));
    if (wanted.length === 0) return [];
    const rows = await this.files.findBy({ id: In(wanted), ownerKind: user.kind, ownerId: user.id });
    return rows.map(toMeta);
  }

  /** Of `ids`, those the caller uploaded: one indexed statement (the submission path runs it on every filing). */
  async ownedIds(ids: string[], user: AuthUser): Promise<Set<string>> {
    const wanted = [...new Set(ids)].filter((id) => UUID.test(id));
    if (wanted.length === 0) return new Set();
    const rows = await poolQuery<{ id: string }>(
      this.files.manager.connection,
      'SELECT id FROM stored_files WHERE id = ANY($1::uuid[]) AND owner_kind = $2 AND owner_id = $3',
      [wanted, user.kind, user.id],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Of `ids`, those the caller may read: their own, and those a registered policy allows. */
  async readableIds(ids: string[], user: AuthUser): Promise<Set<string>> {
    const readable = await this.ownedIds(ids, user);
    const others = [...new Set(ids)].filter((id) => UUID.test(id) && !readable.has(id));
    for (const id of await this.grantedByPolicies(others, user)) readable.add(id);
    return readable;
  }

  /** The file if the caller may read it; FILE_NOT_FOUND otherwise, so existence does not leak. */
  async assertReadable(id: string, user: AuthUser): Promise<FileMeta> {
    return toMeta(await this.readableRow(id, user));
  }

  /**
   * The content of a file the caller may read, after checking the whole of it against the size
   * and sha256 taken at upload: damaged or missing content fails with FILE_CORRUPTED (logged)
   * instead of being served. The stream returned is checked again as it is read, so content that
   * changes in between is cut off before its last bytes rather than delivered as complete.
   * Reading twice costs little for files of at most FILE_MAX_BYTES, and buys a clear error for
   * the client instead of a broken download.
   */
  async openContent(id: string, user: AuthUser): Promise<{ meta: FileMeta; content: Readable }> {
    const { row, grantedBy } = await this.readableRowAndPolicy(id, user);
    await this.verifyStoredContent(row);
    await grantedBy?.contentRead?.(user, id);
    const verifier = new ContentVerifier(row);
    const source = await this.storage.get(row.storageKey);
    pipelineCb(source, verifier, (e) => {
      if (e instanceof ContentMismatchError) this.reportCorrupted(row, e);
    });
    return { meta: toMeta(row), content: verifier };
  }

  private async readableRow(id: string, user: AuthUser): Promise<StoredFile> {
    return (await this.readableRowAndPolicy(id, user)).row;
  }

  /** The file if the caller may read it, and the policy that lets them (null: it is their own). */
  private async readableRowAndPolicy(id: string, user: AuthUser): Promise<{ row: StoredFile; grantedBy: FileReadPolicy | null }> {
    const row = UUID.test(id) ? await this.files.findOneBy({ id }) : null;
    if (!row) throw fileNotFound();
    if (row.ownerKind === user.kind && row.ownerId === user.id) return { row, grantedBy: null };
    for (const policy of this.readPolicies) {
      if ([...(await policy.readableIds(user, [id]))].includes(id)) return { row, grantedBy: policy };
    }
    throw fileNotFound();
  }

  /** Of `ids` (files the caller does not own), those some registered policy lets the caller read. */
  private async grantedByPolicies(ids: string[], user: AuthUser): Promise<Set<string>> {
    const granted = new Set<string>();
    let rest = ids;
    for (const policy of this.readPolicies) {
      if (rest.length === 0) break;
      for (const id of await policy.readableIds(user, rest)) if (rest.includes(id)) granted.add(id);
      rest = rest.filter((id) => !granted.has(id));
    }
    return granted;
  }

  private async verifyStoredContent(row: StoredFile): Promise<void> {
    await this.readChecked(row, new Writable({ write: (_chunk, _encoding, next) => next() }));
  }

  /** A citizen's uploads pass to another of their accounts (linking a password account to a verified one). */
  async transferUserFiles(em: EntityManager, fromUserId: string, toUserId: string): Promise<void> {
    await em.update(StoredFile, { ownerKind: 'user', ownerId: fromUserId }, { ownerId: toUserId });
  }

  /** Pipes the stored content through its size and sha256 check into `sink`; FILE_CORRUPTED when it differs or is gone. */
  private async readChecked(row: StoredFile, sink: Writable): Promise<void> {
    try {
      await pipeline(await this.storage.get(row.storageKey), new ContentVerifier(row), sink);
    } catch (e) {
      if (e instanceof ContentMismatchError || e instanceof StoredContentMissing) {
        this.reportCorrupted(row, e);
        throw fileCorrupted();
      }
      throw e;
    }
  }

  private reportCorrupted(row: StoredFile, problem: ContentMismatchError | StoredContentMissing): void {
    this.logger.error(
      { fileId: row.id, storageKey: row.storageKey, problem: problem.message },
      'FILE_CORRUPTED: stored content does not match its upload; restore it from backup',
    );
  }
}

function toMeta(row: StoredFile): FileMeta {
  return {
    id: row.id,
    ownerKind: row.ownerKind,
    ownerId: row.ownerId,
    sha256: row.sha256,
    size: row.size,
    contentType: row.contentType,
    fileName: row.fileName,
    createdAt: row.createdAt,
  };
}
