import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AgenciesService } from '../../agencies/agencies.service.js';
import { clientBucket } from '../../auth/rate-limit.js';
import { hitCounter } from '../../auth/redis-counters.js';
import { timeliness } from '../../calendar/working-calendar.js';
import { CatalogService } from '../../catalog/catalog.service.js';
import { Public } from '../../common/auth-context.js';
import { RedisClient } from '../../common/redis.js';
import { AppConfig } from '../../config/app-config.js';
import { DeadlinesService } from '../../deadlines/deadlines.service.js';
import { STATUS_LABEL_VI } from '../../dossier-record/dossier-status.js';
import { CHANNEL_LABEL_VI, CHANNELS } from '../intake.js';
import { DossiersService } from '../dossiers.service.js';
import { DossierErrors } from '../dossiers.errors.js';
import { CommonErrors } from '../../common/common.errors.js';

class NamedRef {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
}

export class PublicDossierView {
  @ApiProperty({ example: '000.00.20.H56-261122-0001' }) code: string;
  @ApiProperty({ example: 'IN_PROGRESS' }) status: string;
  @ApiProperty({ example: 4 }) statusCode: number;
  @ApiProperty({ example: 'Đang xử lý' }) statusLabel: string;
  @ApiProperty({ enum: CHANNELS, description: 'Kênh nộp hồ sơ' }) channel: string;
  @ApiProperty({ example: 'Trực tiếp tại Bộ phận Một cửa' }) channelLabel: string;
  @ApiProperty({ type: NamedRef }) procedure: NamedRef;
  @ApiProperty({ type: NamedRef, description: 'Nơi tiếp nhận' }) receivingAgency: NamedRef;
  @ApiProperty({ type: NamedRef, description: 'Cơ quan giải quyết' }) competentAgency: NamedRef;
  @ApiProperty() submittedAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) receivedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Ngày hẹn trả kết quả' }) dueAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resolvedAt: string | null;
  @ApiPropertyOptional({
    nullable: true,
    enum: ['EARLY', 'ON_TIME', 'LATE', 'ON_TRACK', 'DUE_SOON', 'OVERDUE'],
    description: 'Final (EARLY/ON_TIME/LATE) once resolved, else progress',
  })
  timeliness: string | null;
}

/**
 * The public lookup printed as a QR code on every form: status and dates of a dossier by its code,
 * with nothing about the applicant. Rate-limited per client (PUBLIC_LOOKUP_PER_MINUTE) so codes
 * cannot be enumerated cheaply.
 */
@ApiTags('public')
@Controller('public/dossiers')
export class PublicLookupController {
  constructor(
    @Inject(DossiersService) private readonly dossiers: DossiersService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AgenciesService) private readonly agencies: AgenciesService,
    @Inject(DeadlinesService) private readonly deadlines: DeadlinesService,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get(':code')
  @Public()
  @ApiOperation({ operationId: 'lookUpDossier', summary: 'Tra cứu hồ sơ / Public lookup of a dossier by its code (no personal data)' })
  @ApiOkResponse({ type: PublicDossierView })
  @ApiResponse({ status: 404, description: 'DOSSIER_NOT_FOUND' })
  @ApiResponse({ status: 429, description: 'TOO_MANY_REQUESTS: PUBLIC_LOOKUP_PER_MINUTE per client' })
  async lookup(@Param('code') code: string, @Req() req: Request): Promise<PublicDossierView> {
    const limit = this.config.publicLookupPerMinute;
    const { count, msLeft } = await hitCounter(this.redis, `${this.config.queuePrefix}:lookup:${clientBucket(req.ip)}`, 60_000);
    if (count > limit) {
      const retry = Math.max(1, Math.ceil(msLeft / 1000));
      throw CommonErrors.TOO_MANY_REQUESTS(retry, 'Tra cứu quá nhiều, thử lại sau', `Too many lookups (limit ${limit} per minute), retry in`, {
        limitPerMinute: limit,
      });
    }
    const row = await this.dossiers.findByCode(code);
    if (!row) throw DossierErrors.DOSSIER_NOT_FOUND();
    const [procedure, receiving, competent, deadline] = await Promise.all([
      this.catalog.getProcedureVersion(row.procedure_code, row.procedure_version),
      this.agencies.getByCode(row.receiving_agency_code),
      this.agencies.getByCode(row.competent_agency_code),
      this.deadlines.deadlineOf([row.id]).then((m) => m.get(row.id) ?? null),
    ]);
    const dueAt = deadline?.dueAt ? new Date(deadline.dueAt) : null;
    const resolvedAt = row.resolved_at ? new Date(row.resolved_at) : null;
    // Fixed once resolved; while running, the overall clock's status.
    const onTime = row.timeliness ?? (dueAt && resolvedAt ? timeliness(resolvedAt, dueAt) : (deadline?.status ?? null));
    return {
      code: row.code,
      status: row.status,
      statusCode: row.status_code,
      statusLabel: STATUS_LABEL_VI[row.status],
      channel: row.channel,
      channelLabel: CHANNEL_LABEL_VI[row.channel],
      procedure: { code: procedure.code, name: procedure.name },
      receivingAgency: { code: receiving.code, name: receiving.name },
      competentAgency: { code: competent.code, name: competent.name },
      submittedAt: new Date(row.submitted_at).toISOString(),
      receivedAt: row.received_at ? new Date(row.received_at).toISOString() : null,
      dueAt: dueAt?.toISOString() ?? null,
      resolvedAt: resolvedAt?.toISOString() ?? null,
      timeliness: onTime,
    };
  }
}
