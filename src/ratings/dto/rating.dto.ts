import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OVERALL_VERDICTS, RATING_BANDS, type OverallVerdict, type RatingBand } from '../rating.entity.js';
import { INDICATOR_CODES, MAX_SCORE, MIN_SCORE, SATISFACTION_INDICATORS } from '../indicators.js';
import { COMMENT_MAX_CHARS, COMPLAINT_MAX_CHARS, CORRECTION_WINDOW_DAYS, MAX_CORRECTIONS } from '../rating-rules.js';

const SCORES_SCHEMA = {
  type: 'object' as const,
  description:
    `The ${INDICATOR_CODES.length} indicators of Circular 01/2018, keyed "1".."9", each an integer ${MIN_SCORE}–${MAX_SCORE}; all required, no other key ` +
    "(422 INVALID_SCORES with `details[].field` `scores.<code>`). Their labels are in GET …/rating `indicators` (placeholders where the Circular's annex text is not in the repository yet).",
  required: [...INDICATOR_CODES],
  selfRequired: true,
  additionalProperties: false,
  properties: Object.fromEntries(INDICATOR_CODES.map((c) => [c, { type: 'integer' as const, minimum: MIN_SCORE, maximum: MAX_SCORE }])),
  example: Object.fromEntries(INDICATOR_CODES.map((c) => [c, 2])),
};

/** A rating, or a correction of it: the whole rating again (it replaces the previous revision in the figures). */
export class RateDossierDto {
  @ApiProperty({ enum: OVERALL_VERDICTS, description: 'Rất hài lòng / Hài lòng / Không hài lòng' })
  @IsIn(OVERALL_VERDICTS)
  overall: OverallVerdict;

  // Checked by the service (checkScores) so every fault is a 422 INVALID_SCORES naming `scores.<code>`.
  @ApiProperty(SCORES_SCHEMA)
  @Allow()
  scores: Record<string, number>;

  @ApiPropertyOptional({ maxLength: COMMENT_MAX_CHARS, example: 'Cán bộ hướng dẫn tận tình', description: 'Optional comment (góp ý)' })
  @IsOptional()
  @IsString()
  @MaxLength(COMMENT_MAX_CHARS)
  comment?: string;
}

export class FileComplaintDto {
  @ApiProperty({
    minLength: 1,
    maxLength: COMPLAINT_MAX_CHARS,
    example: 'Tôi phải đến trụ sở hai lần để bổ sung cùng một giấy tờ',
    description: 'The complaint or petition (phản ánh, kiến nghị); not blank',
  })
  @IsString()
  @MaxLength(COMPLAINT_MAX_CHARS)
  @Matches(/\S/, { message: 'content must not be blank' })
  content: string;
}

export class IndicatorView {
  @ApiProperty({ example: '1' }) code: string;
  @ApiProperty() labelVi: string;
  @ApiProperty() labelEn: string;
  @ApiProperty({
    enum: ['DOMAIN_MD', 'PLACEHOLDER'],
    description:
      "DOMAIN_MD: the one-word name ../shared/DOMAIN.md gives; PLACEHOLDER: to be replaced by the Circular's annex text. Neither is the official text.",
  })
  labelSource: 'DOMAIN_MD' | 'PLACEHOLDER';
}

export class RatingOfficerView {
  @ApiProperty({ enum: ['ACCEPTED', 'PROCESSED', 'APPROVED', 'SIGNED', 'RETURNED'] }) role: string;
  @ApiProperty({ example: 'B2', description: "The internal-process step's code; RETURN for the return of the result" }) step: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
}

export class RatingRevisionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1, description: '1: the rating; 2…: its corrections' }) revision: number;
  @ApiProperty({ enum: OVERALL_VERDICTS }) overall: OverallVerdict;
  @ApiProperty(SCORES_SCHEMA) scores: Record<string, number>;
  @ApiProperty({ minimum: 0, maximum: 18 }) total: number;
  @ApiProperty({ enum: RATING_BANDS, description: '≥ 15 EXCELLENT, 12–< 15 GOOD, 9–< 12 FAIR, 6–< 9 AVERAGE, < 6 WEAK' }) band: RatingBand;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: [RatingOfficerView], description: "The officers of each step, from the dossier's history when the rating was made" })
  officers: RatingOfficerView[];
  @ApiProperty({ format: 'uuid' }) ratedBy: string;
  @ApiProperty({ format: 'date-time' }) ratedAt: string;
}

export class DossierRatingView {
  @ApiProperty({ format: 'uuid' }) dossierId: string;
  @ApiProperty() dossierCode: string;
  @ApiProperty({ type: [IndicatorView], description: 'The 9 indicators, in order' }) indicators: IndicatorView[];
  @ApiProperty({ type: RatingRevisionView, nullable: true, description: 'The revision that counts (the last); null when not rated' })
  latest: RatingRevisionView | null;
  @ApiProperty({ type: [RatingRevisionView], description: 'Every revision, oldest first (never changed)' }) revisions: RatingRevisionView[];
  @ApiProperty({ description: 'The caller may rate now (the owner, after the result is returned, not rated yet)' }) canRate: boolean;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: `Corrections are accepted until then (${CORRECTION_WINDOW_DAYS} days after the rating); null when not rated`,
  })
  correctableUntil: string | null;
  @ApiProperty({ minimum: 0, maximum: MAX_CORRECTIONS, description: `Corrections left (at most ${MAX_CORRECTIONS})` }) correctionsLeft: number;
}

export class ComplaintView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) dossierId: string;
  @ApiProperty() content: string;
  @ApiProperty({ format: 'uuid' }) filedBy: string;
  @ApiProperty({ format: 'date-time' }) filedAt: string;
}

export class ComplaintListView {
  @ApiProperty({ type: [ComplaintView], description: 'Oldest first' }) items: ComplaintView[];
}

export const INDICATOR_VIEWS: IndicatorView[] = SATISFACTION_INDICATORS.map((i) => ({ ...i }));
