import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { EntityManager } from 'typeorm';
import { CurrentUser, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { DossiersService } from './dossiers.service.js';
import { DossierDetailView, DossierHistory, DossierPage, DossierView, IDEMPOTENCY_KEY, ListDossiersQuery, SubmitDossierDto } from './dto/dossier.dto.js';
import { WorkflowService } from './workflow/workflow.service.js';
import { DossierErrors } from './dossiers.errors.js';
import { SHARE_CODE_HEADER } from './store/store-consents.service.js';

@ApiTags('dossiers')
@Controller('dossiers')
export class DossiersController {
  constructor(
    @Inject(DossiersService) private readonly dossiers: DossiersService,
    @Inject(WorkflowService) private readonly workflow: WorkflowService,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles(Role.CITIZEN, Role.INTEGRATOR, Role.RECEPTION_OFFICER)
  @ApiOperation({
    operationId: 'submitDossier',
    summary: 'Nộp hồ sơ / File a dossier',
    description:
      'Citizens file for themselves and integrators (X-API-Key with dossiers:write) for a citizen, ONLINE. A reception officer files a walk-in (channel COUNTER) or posted (POSTAL) dossier for the applicant at their own centre: ' +
      'the applicant as on the ID card (date of birth required), each paper component scanned and uploaded by the officer (recorded SCANNED, by whom, when), or reused from the applicant’s data store (documentId: REUSED; ' +
      'a document of the component’s type, that the officer’s own agency digitised or that the applicant’s share code covers); with identityCheckId (the card checked, POST /auth/identity-checks) the scans enter the applicant’s store at acceptance; ' +
      'with accept: true it is accepted in the same transaction (receipt form 01 at once). The dossier belongs to the applicant’s verified account. ' +
      'Retrying with the same Idempotency-Key and body returns the same dossier (header Idempotent-Replayed: true) and creates nothing.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '8–128 characters [A-Za-z0-9._:-], unique per filing (e.g. a UUID)' })
  @ApiHeader({
    name: SHARE_CODE_HEADER,
    required: false,
    description:
      'A reception officer reusing documents of the applicant’s store that their own agency did not digitise: the applicant’s share code (or its QR payload); one use is counted',
  })
  @ApiCreatedResponse({ type: DossierView })
  @ApiResponse({
    status: 403,
    description:
      'FORBIDDEN, AGENCY_NOT_ALLOWED (API key), NOT_YOUR_CENTRE (an officer filing at another centre), SHARE_CODE_INVALID, SHARE_CODE_EXPIRED, SHARE_CODE_REVOKED, SHARE_CODE_USED_UP, SHARE_CODE_NOT_FOR_YOU',
  })
  @ApiResponse({
    status: 422,
    description:
      'UNKNOWN_PROCEDURE, UNKNOWN_AGENCY, AGENCY_NOT_RECEIVING, PROCEDURE_NOT_AVAILABLE, COMPETENT_AGENCY_REQUIRED, COMPETENT_AGENCY_INVALID, UNKNOWN_COMPONENT, MISSING_COMPONENT, UNKNOWN_FILE, DELIVERY_NOT_ALLOWED, IDEMPOTENCY_KEY_REUSED, CHANNEL_NOT_ALLOWED, SOURCE_NOT_ALLOWED, ATTACHMENT_FILE_OR_DOCUMENT, SCAN_TYPE_NOT_ALLOWED, UNKNOWN_DOCUMENT, DOCUMENT_TYPE_MISMATCH, DOCUMENT_EXPIRED, DOCUMENT_ALREADY_EXPIRED, UNKNOWN_IDENTITY_CHECK, IDENTITY_CHECK_MISMATCH, IDENTITY_CHECK_EXPIRED',
  })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_IN_PROGRESS, IDENTITY_CHECK_USED (the card check already proved another filing)' })
  async submit(
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key: string | undefined,
    @Headers('x-share-code') shareCode: string | undefined,
    @Body() dto: SubmitDossierDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DossierView> {
    if (!key || !IDEMPOTENCY_KEY.test(key)) {
      throw DossierErrors.IDEMPOTENCY_KEY_REQUIRED([{ field: 'Idempotency-Key', message: key ? 'malformed' : 'missing' }]);
    }
    // An officer may accept in the same step: the acceptance runs in the filing's transaction, so a
    // refused acceptance leaves nothing behind (the officer can file it again without accept).
    const within = dto.accept
      ? (em: EntityManager, dossierId: string) => this.workflow.actIn(em, user, dossierId, 'accept', { expectedVersion: 1, note: 'Tiếp nhận tại quầy' })
      : undefined;
    const { dossier, replayed } = await this.dossiers.submit(user, key, dto, { within, shareCode });
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', `/api/v1/dossiers/${dossier.id}`);
    return dossier;
  }

  @Get()
  @Roles(Role.CITIZEN, Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER, Role.INTEGRATOR)
  @ApiOperation({ operationId: 'listDossiers', summary: 'Danh sách hồ sơ / Dossiers the caller may see (a citizen: own; staff: their agency), newest first' })
  @ApiOkResponse({ type: DossierPage })
  list(@CurrentUser() user: AuthUser, @Query() q: ListDossiersQuery): Promise<DossierPage> {
    return this.dossiers.list(user, q);
  }

  @Get(':idOrCode')
  @ApiOperation({ operationId: 'getDossier', summary: 'Chi tiết hồ sơ / One dossier, by id or dossier code' })
  @ApiOkResponse({ type: DossierDetailView })
  @ApiResponse({ status: 404, description: 'DOSSIER_NOT_FOUND (also when the caller may not see it)' })
  async get(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string): Promise<DossierDetailView> {
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    return this.workflow.detail(user, row);
  }

  @Get(':idOrCode/events')
  @ApiOperation({ operationId: 'getDossierHistory', summary: 'Lịch sử hồ sơ / Append-only, hash-chained history of the dossier' })
  @ApiOkResponse({ type: DossierHistory })
  @ApiResponse({ status: 404, description: 'DOSSIER_NOT_FOUND' })
  events(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string): Promise<DossierHistory> {
    return this.dossiers.history(user, idOrCode);
  }
}
