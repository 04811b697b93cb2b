import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clientBucket } from '../auth/rate-limit.js';
import { hitCounter } from '../auth/redis-counters.js';
import { CurrentUser, Public, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { CommonErrors } from '../common/common.errors.js';
import { RedisClient } from '../common/redis.js';
import { AppConfig } from '../config/app-config.js';
import {
  IndicatorExportQueryDto,
  IndicatorQueryDto,
  IndicatorReportView,
  PublicIndicatorQueryDto,
  PublicIndicatorReportView,
  ReportSeriesView,
} from './dto/report.dto.js';
import { IndicatorsService } from './indicators.service.js';
import { PublicFiguresService } from './public-figures.service.js';
import { CONTENT_TYPES, contentDisposition } from '../common/render/files.js';
import { renderIndicatorReport } from './render/index.js';
import type { IndicatorReport, PublicIndicatorReport, ReportSeries } from './report-types.js';

const ERRORS_422 = 'REPORT_PERIOD_INVALID (bad date, from after to, longer than 3 years; details[0].field names the parameter) or REPORT_AGENCY_REQUIRED';
const ERRORS_503 =
  'REPORT_TIMEOUT (a statement ran longer than REPORT_STATEMENT_TIMEOUT_MS) or REPORTS_BUSY (no reports connection within REPORT_POOL_WAIT_MS); with Retry-After';

@ApiTags('reports')
@Controller('reports')
@Roles(Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER, Role.ADMIN)
export class ReportsController {
  constructor(@Inject(IndicatorsService) private readonly indicators: IndicatorsService) {}

  @Get('indicators')
  @ApiOperation({
    operationId: 'getIndicators',
    summary: 'Chỉ số Quyết định 766 / Decision 766 indicators of an agency (or its subtree) for a period, with the counts behind them',
    description:
      'Officers: their own agency; leaders: their agency or any below it, with or without the subtree; admins: any. `by` adds a row per procedure or field.',
  })
  @ApiOkResponse({ type: IndicatorReportView })
  @ApiResponse({ status: 403, description: 'REPORT_FORBIDDEN' })
  @ApiResponse({ status: 404, description: 'REPORT_AGENCY_NOT_FOUND' })
  @ApiResponse({ status: 422, description: ERRORS_422 })
  @ApiResponse({ status: 503, description: ERRORS_503 })
  async report(@Query() q: IndicatorQueryDto, @CurrentUser() user: AuthUser): Promise<IndicatorReport> {
    const agencyCode = await this.indicators.authorise(user, q);
    return this.indicators.report({ ...q, agencyCode });
  }

  @Get('indicators/export')
  @ApiOperation({
    operationId: 'exportIndicators',
    summary: 'Báo cáo chỉ số (PDF, XLSX, CSV) / The indicator report as a file',
    description:
      'The same figures and access rules as GET /reports/indicators. pdf: a Vietnamese report with the table, the counts and three charts (received online vs counter by month, the on-time trend, overdue by procedure); xlsx and csv: the table, the counts and any `by` breakdown.',
  })
  @ApiProduces(CONTENT_TYPES.pdf, CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiResponse({
    status: 200,
    description: 'The file, as an attachment named chi-so-766-{code}-{from}-{to}.{pdf|xlsx|csv}',
    content: {
      [CONTENT_TYPES.pdf]: { schema: { type: 'string', format: 'binary' } },
      [CONTENT_TYPES.xlsx]: { schema: { type: 'string', format: 'binary' } },
      [CONTENT_TYPES.csv]: { schema: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (format)' })
  @ApiResponse({ status: 403, description: 'REPORT_FORBIDDEN' })
  @ApiResponse({ status: 404, description: 'REPORT_AGENCY_NOT_FOUND' })
  @ApiResponse({ status: 422, description: ERRORS_422 })
  @ApiResponse({ status: 503, description: ERRORS_503 })
  async export(@Query() q: IndicatorExportQueryDto, @CurrentUser() user: AuthUser, @Res() res: Response): Promise<void> {
    const { format, ...query } = q;
    const agencyCode = await this.indicators.authorise(user, query);
    const report = await this.indicators.report({ ...query, agencyCode });
    const series = format === 'pdf' ? await this.indicators.series({ ...query, agencyCode }) : undefined;
    const file = await renderIndicatorReport(format, report, series);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', contentDisposition(file.filename));
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(file.body);
  }

  @Get('series')
  @ApiOperation({
    operationId: 'getReportSeries',
    summary: 'Số liệu theo tháng / Per month: received by channel and the on-time rate; overdue per procedure (the report’s charts)',
  })
  @ApiOkResponse({ type: ReportSeriesView })
  @ApiResponse({ status: 403, description: 'REPORT_FORBIDDEN' })
  @ApiResponse({ status: 404, description: 'REPORT_AGENCY_NOT_FOUND' })
  @ApiResponse({ status: 422, description: ERRORS_422 })
  @ApiResponse({ status: 503, description: ERRORS_503 })
  async series(@Query() q: IndicatorQueryDto, @CurrentUser() user: AuthUser): Promise<ReportSeries> {
    const agencyCode = await this.indicators.authorise(user, q);
    return this.indicators.series({ ...q, agencyCode });
  }
}

/**
 * The figures for a province's portal: aggregate counts only (no dossier, no person), without
 * login, rate-limited per client like the public lookup (PUBLIC_LOOKUP_PER_MINUTE), and never
 * computed live (issue 20): whole months from the monthly rollup, small counts withheld
 * (PublicFiguresService).
 */
@ApiTags('public')
@Controller('public/reports')
export class PublicReportsController {
  constructor(
    @Inject(PublicFiguresService) private readonly figures: PublicFiguresService,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('indicators')
  @Public()
  @ApiOperation({
    operationId: 'getPublicIndicators',
    summary: 'Chỉ số công khai / Public Decision 766 figures of an agency for whole months (aggregates only, small counts withheld)',
    description:
      'Whole months only (`period=month|quarter|year&date=`, or `from` a month’s first day and `to` a month’s last), at most PUBLIC_REPORT_MAX_MONTHS, ending with the current month at the latest. Read from the monthly rollup (refreshed every REPORT_ROLLUP_REFRESH_SECONDS) and cached PUBLIC_REPORT_CACHE_SECONDS. Counts from 1 to PUBLIC_REPORT_MIN_COUNT − 1 are null, and listed in `suppression` (README, "Public figures").',
  })
  @ApiOkResponse({ type: PublicIndicatorReportView })
  @ApiResponse({
    status: 400,
    description:
      'VALIDATION_FAILED; PUBLIC_REPORT_PERIOD_NOT_MONTHS, PUBLIC_REPORT_PERIOD_TOO_LONG, PUBLIC_REPORT_PERIOD_IN_FUTURE (details[0].field names the parameter)',
  })
  @ApiResponse({ status: 404, description: 'REPORT_AGENCY_NOT_FOUND' })
  @ApiResponse({ status: 422, description: ERRORS_422 })
  @ApiResponse({ status: 429, description: 'TOO_MANY_REQUESTS: PUBLIC_LOOKUP_PER_MINUTE per client' })
  @ApiResponse({ status: 503, description: `PUBLIC_REPORT_NOT_READY (a month of the period not yet in the rollup), ${ERRORS_503}` })
  async report(@Query() q: PublicIndicatorQueryDto, @Req() req: Request): Promise<PublicIndicatorReport> {
    const limit = this.config.publicLookupPerMinute;
    const { count, msLeft } = await hitCounter(this.redis, `${this.config.queuePrefix}:public-reports:${clientBucket(req.ip)}`, 60_000);
    if (count > limit) {
      throw CommonErrors.TOO_MANY_REQUESTS(
        Math.max(1, Math.ceil(msLeft / 1000)),
        'Yêu cầu quá nhiều, thử lại sau',
        `Too many requests (limit ${limit} per minute), retry in`,
        { limitPerMinute: limit },
      );
    }
    return this.figures.report(q);
  }
}
