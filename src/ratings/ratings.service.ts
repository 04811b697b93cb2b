import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-context.js';
import { Clock } from '../common/clock.js';
import { isDossierOwner } from '../dossier-record/dossier-access.js';
import { DossierStatus } from '../dossier-record/dossier-status.js';
import { DossierRecordErrors } from '../dossier-record/dossier-record.errors.js';
import { DossierRecords, toParties, type DossierRow } from '../dossier-record/dossier-records.js';
import { journalTransaction, lockDossier, readDossierHistory, recordLockedDossierEvents } from '../dossier-record/journal.js';
import { publishIntegrationEvents } from '../integration-events/integration-events.js';
import { INDICATOR_VIEWS, type ComplaintView, type DossierRatingView, type RateDossierDto, type RatingRevisionView } from './dto/rating.dto.js';
import type { OverallVerdict, RatingBand } from './rating.entity.js';
import {
  bandOf,
  checkScores,
  COMPLAINT_WINDOW_MS,
  COMPLAINTS_PER_DAY,
  COMPLAINTS_PER_DOSSIER,
  correctableUntil,
  MAX_CORRECTIONS,
  normalisedScores,
  stepOfficers,
  totalScore,
  type StepOfficer,
} from './rating-rules.js';
import { RatingErrors } from './ratings.errors.js';
import { EVENT } from '../dossier-record/event-types.js';

interface RatingRow {
  id: string;
  revision: number;
  overall: OverallVerdict;
  scores: Record<string, number>;
  total: number;
  band: RatingBand;
  comment: string | null;
  officers: StepOfficer[];
  rated_by: string;
  rated_at: Date;
}

interface ComplaintRow {
  id: string;
  dossier_id: string;
  content: string;
  filed_by: string;
  filed_at: Date;
}

const RATING_COLUMNS = 'id, revision, overall, scores, total, band, comment, officers, rated_by, rated_at';
const COMPLAINT_COLUMNS = 'id, dossier_id, content, filed_by, filed_at';

/** The SHA-256 of a free text, for the history: the event proves the text without carrying it. */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Satisfaction ratings (Circular 01/2018: overall verdict and 9 indicators scored 0–2) and
 * complaints (phản ánh, kiến nghị) of a dossier, by its owner. The owner of `dossier_ratings` and
 * `dossier_complaints`: rows are only ever inserted (a correction is the next revision), each with
 * its dossier event through the journal and its integration event through the outbox, in one
 * transaction under the dossier's lock (so two requests of one dossier are serialised).
 */
@Injectable()
export class RatingsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DossierRecords) private readonly dossiers: DossierRecords,
  ) {}

  /** The dossier's rating (latest revision and every revision), for its owner and its staff. */
  async ratingOf(user: AuthUser, idOrCode: string): Promise<DossierRatingView> {
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    return this.view(user, row, await this.revisions(this.db.manager, row.id));
  }

  /** The owner rates the returned dossier, once. */
  async rate(user: AuthUser, idOrCode: string, dto: RateDossierDto): Promise<DossierRatingView> {
    const row = await this.ownedRow(user, idOrCode);
    const scores = this.validScores(dto.scores);
    const revisions = await journalTransaction(this.db, async (em) => {
      const locked = await this.lockedRow(em, row.id);
      if (locked.status !== DossierStatus.RETURNED) throw RatingErrors.RESULT_NOT_RETURNED({ status: locked.status, statusCode: locked.status_code });
      const existing = await this.revisions(em, row.id);
      if (existing.length > 0) throw RatingErrors.ALREADY_RATED({ revisions: existing.length });
      const officers = stepOfficers((await readDossierHistory(em, row.id)).events);
      return [await this.insertRevision(em, user, locked, 1, dto, scores, officers)];
    });
    return this.view(user, row, revisions);
  }

  /** The owner corrects their rating: a new revision, within the window; earlier revisions stay as they are. */
  async correct(user: AuthUser, idOrCode: string, dto: RateDossierDto): Promise<DossierRatingView> {
    const row = await this.ownedRow(user, idOrCode);
    const scores = this.validScores(dto.scores);
    const revisions = await journalTransaction(this.db, async (em) => {
      const locked = await this.lockedRow(em, row.id);
      const existing = await this.revisions(em, row.id);
      if (existing.length === 0) throw RatingErrors.NOT_RATED();
      const first = existing[0];
      const until = correctableUntil(new Date(first.rated_at));
      if (this.clock.now().getTime() > until.getTime())
        throw RatingErrors.CORRECTION_WINDOW_CLOSED({ ratedAt: new Date(first.rated_at).toISOString(), correctableUntil: until.toISOString() });
      if (existing.length - 1 >= MAX_CORRECTIONS) throw RatingErrors.TOO_MANY_CORRECTIONS({ revisions: existing.length });
      // The officers are those of the rated life: a returned dossier's history has no later step.
      const latest = existing[existing.length - 1];
      return [...existing, await this.insertRevision(em, user, locked, latest.revision + 1, dto, scores, latest.officers)];
    });
    return this.view(user, row, revisions);
  }

  /** The owner files a complaint (any time after filing), within the per-dossier limits. */
  async fileComplaint(user: AuthUser, idOrCode: string, content: string): Promise<ComplaintView> {
    const row = await this.ownedRow(user, idOrCode);
    const text = content.trim();
    return journalTransaction(this.db, async (em) => {
      const locked = await this.lockedRow(em, row.id);
      const now = this.clock.now();
      const [counts] = await em.query(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE filed_at > $2)::int AS recent, min(filed_at) FILTER (WHERE filed_at > $2) AS oldest_recent
           FROM dossier_complaints WHERE dossier_id = $1`,
        [row.id, new Date(now.getTime() - COMPLAINT_WINDOW_MS)],
      );
      if (counts.total >= COMPLAINTS_PER_DOSSIER) throw RatingErrors.COMPLAINT_LIMIT_REACHED(COMPLAINTS_PER_DOSSIER, { complaints: counts.total });
      if (counts.recent >= COMPLAINTS_PER_DAY) {
        const retryAfter = (new Date(counts.oldest_recent).getTime() + COMPLAINT_WINDOW_MS - now.getTime()) / 1000;
        throw RatingErrors.COMPLAINTS_TOO_FREQUENT(retryAfter, COMPLAINTS_PER_DAY, { perDay: COMPLAINTS_PER_DAY });
      }
      const [c]: ComplaintRow[] = await em.query(
        `INSERT INTO dossier_complaints (dossier_id, agency_code, content, filed_by, filed_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${COMPLAINT_COLUMNS}`,
        [row.id, locked.receiving_agency_code, text, user.id, now],
      );
      await recordLockedDossierEvents(em, [
        {
          dossierId: row.id,
          type: EVENT.COMPLAINT_FILED,
          actorKind: user.kind,
          actorId: user.id,
          at: now,
          data: { complaintId: c.id, contentSha256: sha256(text), contentLength: text.length },
        },
      ]);
      await publishIntegrationEvents(em, 'dossier.complaint_filed', [{ dossierId: row.id, data: { complaintId: c.id }, at: now }]);
      return complaintView(c);
    });
  }

  /** The dossier's complaints, oldest first, for its owner and its staff. */
  async complaintsOf(user: AuthUser, idOrCode: string): Promise<{ items: ComplaintView[] }> {
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    const rows: ComplaintRow[] = await this.db.query(`SELECT ${COMPLAINT_COLUMNS} FROM dossier_complaints WHERE dossier_id = $1 ORDER BY filed_at, id`, [
      row.id,
    ]);
    return { items: rows.map(complaintView) };
  }

  /**
   * The dossier if the caller owns it. The routes admit citizens only (others get 403 from the
   * guard); a citizen who does not own it cannot see it either: 404, as for every dossier not yours.
   */
  private async ownedRow(user: AuthUser, idOrCode: string): Promise<DossierRow> {
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    if (!isDossierOwner(user, toParties(row))) throw DossierRecordErrors.DOSSIER_NOT_FOUND();
    return row;
  }

  private async lockedRow(em: EntityManager, dossierId: string): Promise<DossierRow> {
    await lockDossier(em, dossierId);
    return this.dossiers.findRowById(dossierId, em);
  }

  private validScores(raw: unknown): Record<string, number> {
    const details = checkScores(raw);
    if (details.length) throw RatingErrors.INVALID_SCORES(details);
    return normalisedScores(raw as Record<string, number>);
  }

  private revisions(em: EntityManager, dossierId: string): Promise<RatingRow[]> {
    return em.query(`SELECT ${RATING_COLUMNS} FROM dossier_ratings WHERE dossier_id = $1 ORDER BY revision`, [dossierId]);
  }

  private async insertRevision(
    em: EntityManager,
    user: AuthUser,
    row: DossierRow,
    revision: number,
    dto: RateDossierDto,
    scores: Record<string, number>,
    officers: StepOfficer[],
  ): Promise<RatingRow> {
    const now = this.clock.now();
    const total = totalScore(scores);
    const band = bandOf(total);
    const comment = dto.comment?.trim() || null;
    const [r]: RatingRow[] = await em.query(
      `INSERT INTO dossier_ratings (dossier_id, revision, agency_code, overall, scores, total, band, comment, officers, rated_by, rated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${RATING_COLUMNS}`,
      [row.id, revision, row.receiving_agency_code, dto.overall, JSON.stringify(scores), total, band, comment, JSON.stringify(officers), user.id, now],
    );
    await recordLockedDossierEvents(em, [
      {
        dossierId: row.id,
        type: revision === 1 ? EVENT.RATED : EVENT.RATING_CORRECTED,
        actorKind: user.kind,
        actorId: user.id,
        at: now,
        data: { ratingId: r.id, revision, overall: dto.overall, scores, total, band, commentSha256: comment === null ? null : sha256(comment) },
      },
    ]);
    await publishIntegrationEvents(em, 'dossier.rated', [
      { dossierId: row.id, data: { ratingId: r.id, revision, overall: dto.overall, total, band }, at: now },
    ]);
    return r;
  }

  private view(user: AuthUser, row: DossierRow, revisions: RatingRow[]): DossierRatingView {
    const views = revisions.map(revisionView);
    const first = revisions[0];
    return {
      dossierId: row.id,
      dossierCode: row.code,
      indicators: INDICATOR_VIEWS,
      latest: views[views.length - 1] ?? null,
      revisions: views,
      canRate: revisions.length === 0 && row.status === DossierStatus.RETURNED && isDossierOwner(user, toParties(row)),
      correctableUntil: first ? correctableUntil(new Date(first.rated_at)).toISOString() : null,
      correctionsLeft: first ? Math.max(0, MAX_CORRECTIONS - (revisions.length - 1)) : MAX_CORRECTIONS,
    };
  }
}

function revisionView(r: RatingRow): RatingRevisionView {
  return {
    id: r.id,
    revision: r.revision,
    overall: r.overall,
    scores: r.scores,
    total: r.total,
    band: r.band,
    comment: r.comment,
    officers: r.officers,
    ratedBy: r.rated_by,
    ratedAt: new Date(r.rated_at).toISOString(),
  };
}

function complaintView(c: ComplaintRow): ComplaintView {
  return { id: c.id, dossierId: c.dossier_id, content: c.content, filedBy: c.filed_by, filedAt: new Date(c.filed_at).toISOString() };
}
