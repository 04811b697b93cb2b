import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { toBoolean } from '../../common/query-params.js';
import { INDICATOR_CODES } from '../report-types.js';
import { PERIOD_KINDS } from '../report-period.js';

/** The period and scope of the public figures. Dates are checked by resolvePeriod (422 with the field). */
class PeriodQueryDto {
  @ApiPropertyOptional({ example: '2026-10-01', description: 'Từ ngày (yyyy-mm-dd, giờ Việt Nam), with `to`' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Đến ngày (inclusive)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  to?: string;

  @ApiPropertyOptional({ enum: [...PERIOD_KINDS], description: 'Instead of from–to: the month, quarter or year containing `date`' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  period?: string;

  @ApiPropertyOptional({ example: '2026-11-15', description: 'A day of the period (with `period`)' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  date?: string;

  @ApiPropertyOptional({ default: false, description: 'Include the agencies under it (cấp dưới)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  subtree?: boolean;
}

export class PublicIndicatorQueryDto extends PeriodQueryDto {
  @ApiProperty({ example: '000.00.20.H56', description: 'Mã cơ quan / The agency (receiving centre)' })
  @IsString()
  @MaxLength(32)
  agencyCode: string;
}

export class IndicatorQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ example: '000.00.20.H56', description: 'Mã cơ quan; staff default to their own' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  agencyCode?: string;

  @ApiPropertyOptional({ enum: ['procedure', 'field'], description: 'A row per procedure (thủ tục) or per field (lĩnh vực)' })
  @IsOptional()
  @IsIn(['procedure', 'field'])
  by?: 'procedure' | 'field';
}

export class IndicatorExportQueryDto extends IndicatorQueryDto {
  @ApiProperty({
    enum: ['pdf', 'xlsx', 'csv'],
    description: 'pdf: the report in Vietnamese with its charts; xlsx: the table, the counts and any breakdown as sheets; csv: one tidy table (UTF-8 with BOM)',
  })
  @IsIn(['pdf', 'xlsx', 'csv'], { message: 'format must be pdf, xlsx or csv' })
  format: 'pdf' | 'xlsx' | 'csv';
}

class LabelView {
  @ApiProperty() vi: string;
  @ApiProperty() en: string;
}

export class IndicatorRowView {
  @ApiProperty({ enum: [...INDICATOR_CODES] }) code: string;
  @ApiProperty({ type: LabelView }) label: LabelView;
  @ApiProperty() numerator: number;
  @ApiProperty() denominator: number;
  @ApiProperty({ type: Number, nullable: true, description: 'numerator ÷ denominator in [0, 1]; null when the denominator is 0' }) rate: number | null;
  @ApiProperty({ type: Number, nullable: true }) fullMarksAt: number | null;
  @ApiProperty({ type: Number, nullable: true }) points: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxPoints: number | null;
  @ApiPropertyOptional({ type: LabelView }) note?: LabelView;
}

class ReceivedView {
  @ApiProperty() total: number;
  @ApiProperty() online: number;
  @ApiProperty() counter: number;
  @ApiProperty() postal: number;
}
class FinishedView {
  @ApiProperty() total: number;
  @ApiProperty() early: number;
  @ApiProperty() onTime: number;
  @ApiProperty() late: number;
}
class InProgressView {
  @ApiProperty() total: number;
  @ApiProperty() onTime: number;
  @ApiProperty() overdue: number;
}
class RatingsView {
  @ApiProperty() total: number;
  @ApiProperty() verySatisfied: number;
  @ApiProperty() satisfied: number;
  @ApiProperty() notSatisfied: number;
}

export class IndicatorCountsView {
  @ApiProperty({ type: ReceivedView, description: 'Tiếp nhận trong kỳ theo kênh' }) received: ReceivedView;
  @ApiProperty({ description: 'Received in the period plus carried over (unfinished at its start)' }) processed: number;
  @ApiProperty({ type: FinishedView }) finished: FinishedView;
  @ApiProperty({ type: InProgressView, description: 'Unfinished, judged on the period’s last day' }) inProgress: InProgressView;
  @ApiProperty() refused: number;
  @ApiProperty() withdrawn: number;
  @ApiProperty() stopped: number;
  @ApiProperty() supplementRounds: number;
  @ApiProperty() digitised: number;
  @ApiProperty() reused: number;
  @ApiProperty() electronicResult: number;
  @ApiProperty() paidOnline: number;
  @ApiProperty() synced: number;
  @ApiProperty({ type: RatingsView }) ratings: RatingsView;
  @ApiProperty({ description: 'Dossiers received in the period with a complaint' }) complaints: number;
}

class AgencyRefView {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}
class PeriodView {
  @ApiProperty({ example: '2026-10-01' }) from: string;
  @ApiProperty({ example: '2026-12-31' }) to: string;
  @ApiProperty({ example: 'Quý IV/2026' }) label: string;
}
class ProceduresView {
  @ApiProperty() total: number;
  @ApiProperty() fullOnline: number;
  @ApiProperty() partialOnline: number;
}

export class IndicatorBreakdownRowView {
  @ApiProperty({ description: 'Procedure code or field' }) key: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: IndicatorCountsView }) counts: IndicatorCountsView;
  @ApiProperty({ type: [IndicatorRowView] }) indicators: IndicatorRowView[];
}

export class IndicatorReportView {
  @ApiProperty({ type: AgencyRefView }) agency: AgencyRefView;
  @ApiProperty() subtree: boolean;
  @ApiProperty({ type: PeriodView }) period: PeriodView;
  @ApiProperty() generatedAt: string;
  @ApiProperty({ type: [IndicatorRowView] }) indicators: IndicatorRowView[];
  @ApiProperty({ type: IndicatorCountsView }) counts: IndicatorCountsView;
  @ApiProperty({ type: ProceduresView, description: '3.1: procedures the agencies resolve, by service level' }) procedures: ProceduresView;
  @ApiPropertyOptional({ type: [IndicatorBreakdownRowView] }) byProcedure?: IndicatorBreakdownRowView[];
  @ApiPropertyOptional({ type: [IndicatorBreakdownRowView] }) byField?: IndicatorBreakdownRowView[];
}

class MonthReceivedView {
  @ApiProperty() online: number;
  @ApiProperty() counter: number;
  @ApiProperty() postal: number;
}
class SeriesMonthView {
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ type: MonthReceivedView }) received: MonthReceivedView;
  @ApiProperty({ type: Number, nullable: true, description: '2.1 for the month' }) onTimeRate: number | null;
}
class OverdueByProcedureView {
  @ApiProperty() procedureCode: string;
  @ApiProperty() procedureName: string;
  @ApiProperty({ description: 'Finished late plus unfinished overdue' }) overdue: number;
}
export class ReportSeriesView {
  @ApiProperty({ type: [SeriesMonthView] }) months: SeriesMonthView[];
  @ApiProperty({ type: [OverdueByProcedureView] }) overdueByProcedure: OverdueByProcedureView[];
}

/**
 * Declares `keys` of a view as `number | null` (the public figures' counts: null where withheld);
 * the keys are those of the staff view it mirrors.
 */
function nullableCounts<T extends abstract new () => object>(view: T, keys: readonly string[]): T {
  for (const key of keys) ApiProperty({ type: Number, nullable: true, description: 'null: withheld (a small count)' })(view.prototype, key);
  return view;
}

const PublicReceivedView = nullableCounts(class PublicReceivedView {}, ['total', 'online', 'counter', 'postal']);
const PublicFinishedView = nullableCounts(class PublicFinishedView {}, ['total', 'early', 'onTime', 'late']);
const PublicInProgressView = nullableCounts(class PublicInProgressView {}, ['total', 'onTime', 'overdue']);
const PublicRatingsView = nullableCounts(class PublicRatingsView {}, ['total', 'verySatisfied', 'satisfied', 'notSatisfied']);

export class PublicIndicatorCountsView {
  @ApiProperty({ type: PublicReceivedView }) received: object;
  @ApiProperty({ type: PublicFinishedView }) finished: object;
  @ApiProperty({ type: PublicInProgressView }) inProgress: object;
  @ApiProperty({ type: PublicRatingsView }) ratings: object;
}
nullableCounts(PublicIndicatorCountsView, [
  'processed',
  'refused',
  'withdrawn',
  'stopped',
  'supplementRounds',
  'digitised',
  'reused',
  'electronicResult',
  'paidOnline',
  'synced',
  'complaints',
]);

export class PublicIndicatorRowView {
  @ApiProperty({ enum: [...INDICATOR_CODES] }) code: string;
  @ApiProperty({ type: LabelView }) label: LabelView;
  @ApiProperty({ type: Number, nullable: true, description: 'null when withheld' }) numerator: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'null when withheld' }) denominator: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'null when the denominator is 0 or the row is withheld' }) rate: number | null;
  @ApiProperty({ type: Number, nullable: true }) fullMarksAt: number | null;
  @ApiProperty({ type: Number, nullable: true }) points: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxPoints: number | null;
  @ApiPropertyOptional({ type: LabelView }) note?: LabelView;
  @ApiProperty({ description: 'Withheld whole: made from a small count' }) suppressed: boolean;
}

class SuppressionView {
  @ApiProperty({ example: 5, description: 'Counts from 1 to minCount − 1 are withheld (PUBLIC_REPORT_MIN_COUNT)' }) minCount: number;
  @ApiProperty({
    type: [String],
    example: ['complaints', 'ratings.notSatisfied', 'ratings.verySatisfied'],
    description: 'The withheld counts, as paths into `counts`',
  })
  counts: string[];
  @ApiProperty({ enum: [...INDICATOR_CODES], isArray: true, description: 'The indicators withheld whole' }) indicators: string[];
}

export class PublicIndicatorReportView {
  @ApiProperty({ type: AgencyRefView }) agency: AgencyRefView;
  @ApiProperty() subtree: boolean;
  @ApiProperty({ type: PeriodView }) period: PeriodView;
  @ApiProperty() generatedAt: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the period’s months were last recomputed for every agency (the oldest of them); null for a period before any dossier',
  })
  asOf: string | null;
  @ApiProperty({ type: [PublicIndicatorRowView] }) indicators: PublicIndicatorRowView[];
  @ApiProperty({ type: PublicIndicatorCountsView }) counts: PublicIndicatorCountsView;
  @ApiProperty({ type: ProceduresView }) procedures: ProceduresView;
  @ApiProperty({ type: SuppressionView }) suppression: SuppressionView;
}
