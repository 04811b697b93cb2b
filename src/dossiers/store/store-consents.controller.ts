import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Type } from 'class-transformer';
import { CurrentUser, Role, Roles, type AuthUser } from '../../common/auth-context.js';
import { AppError } from '../../common/errors.js';
import { PageQuery, type Page } from '../../common/pagination.js';
import { uuidParam } from '../../common/query-params.js';
import { DossiersService } from '../dossiers.service.js';
import { PersonDocumentDto } from './person-documents.controller.js';
import { PersonDocumentsService, type PersonDocumentView } from './person-documents.service.js';
import { StoreAccessLog, type AccessLogEntryView } from './store-access-log.service.js';
import { StoreAlertsService, type StoreAlertView } from './store-alerts.service.js';
import { SHARE_CODE_HEADER, StoreConsentsService, verifiedIdNumber, type ShareCodeView } from './store-consents.service.js';
import { StoreErrors } from './store.errors.js';

export class CreateShareCodeDto {
  @ApiPropertyOptional({
    example: '000.00.20.H56-261203-0001',
    description: 'One of your open dossiers (id or code): every staff member handling it may use the code',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  dossier?: string;

  @ApiPropertyOptional({ example: 'tiepnhan.hacthanh', description: 'One staff member (their username, as the desk shows it)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  officer?: string;

  @ApiPropertyOptional({ example: '000.00.20.H56', description: 'One agency (e.g. the centre whose desk you are at): any of its staff' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  agencyCode?: string;

  @ApiPropertyOptional({ type: [String], description: 'The documents of your store it covers (GET /me/documents ids); left out: all of them' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'documentIds must be document ids (UUID)' })
  documentIds?: string[];

  @ApiPropertyOptional({ example: 10, description: 'Minutes it stays usable: at most STORE_SHARE_CODE_MINUTES (the default)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  minutes?: number;

  @ApiPropertyOptional({ example: 3, default: 3, description: 'Reads it allows (a list, a filing reusing documents): 1–10' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  maxUses?: number;
}

class ShareBindingDto {
  @ApiProperty({ enum: ['DOSSIER', 'OFFICER', 'AGENCY'] }) kind: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) dossierId: string | null;
  @ApiProperty({ type: String, nullable: true }) dossierCode: string | null;
  @ApiProperty({ type: String, nullable: true }) officerName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The agency it was given for (an officer’s: theirs)' }) agencyCode: string | null;
}

export class ShareCodeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: ShareBindingDto }) boundTo: ShareBindingDto;
  @ApiProperty({ type: [String], nullable: true, description: 'The documents it covers; null: all of your store' }) documentIds: string[] | null;
  @ApiProperty() maxUses: number;
  @ApiProperty() uses: number;
  @ApiProperty({ enum: ['ACTIVE', 'EXPIRED', 'REVOKED', 'USED_UP'] }) status: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) revokedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastUsedAt: string | null;
}

export class ShareCodeCreatedDto extends ShareCodeDto {
  @ApiProperty({ example: '7KQ2M-XP9DR', description: 'Shown this once: read it out or show it at the desk' }) code: string;
  @ApiProperty({ example: 'MOTCUA-SHARE:1:7KQ2MXP9DR', description: 'What the QR code to show holds' }) qrPayload: string;
}

class AccessActorDto {
  @ApiProperty() name: string;
  @ApiProperty({ example: 'RECEPTION_OFFICER' }) role: string;
  @ApiProperty({ type: String, nullable: true }) agencyCode: string | null;
  @ApiProperty({ type: String, nullable: true }) agencyName: string | null;
}

class AccessDossierDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
}

class AccessDocumentTypeDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() procedureCode: string;
}

class AccessDocumentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: AccessDocumentTypeDto }) type: AccessDocumentTypeDto;
}

class AccessIdentityCheckDto {
  @ApiProperty({ example: 'CARD_SHOWN' }) method: string;
  @ApiProperty({ example: '2021-06-01' }) cardIssuedOn: string;
  @ApiProperty({ description: 'It also verified a citizen account' }) accountVerified: boolean;
}

class AccessLogEntryDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: ['LISTED', 'REUSED', 'DOWNLOADED', 'IDENTITY_CHECKED'] }) action: string;
  @ApiProperty({ type: AccessActorDto }) by: AccessActorDto;
  @ApiProperty({ type: AccessDossierDto, nullable: true, description: 'The dossier it was read through' }) dossier: AccessDossierDto | null;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'The share code it was read under; null: what the staff member’s own agency digitised, or your own filing',
  })
  shareCodeId: string | null;
  @ApiProperty({ type: [AccessDocumentDto] }) documents: AccessDocumentDto[];
  @ApiProperty({ type: AccessIdentityCheckDto, nullable: true }) identityCheck: AccessIdentityCheckDto | null;
}

class AccessLogPageDto {
  @ApiProperty({ type: [AccessLogEntryDto] }) items: AccessLogEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

class SharedDocumentsDto {
  @ApiProperty({ example: '001090864201', description: 'Whose store: the CCCD to file for' }) idNumber: string;
  @ApiProperty({ type: [PersonDocumentDto] }) documents: PersonDocumentDto[];
}

class StoreAlertOfficerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) username: string | null;
}

class StoreAlertDossierDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() status: string;
}

class StoreAlertDto {
  @ApiProperty({ example: 'REFUSED_FILINGS' }) kind: string;
  @ApiProperty({ example: '2026-12-03', description: 'The Vietnam day of the filings' }) day: string;
  @ApiProperty({ type: StoreAlertOfficerDto }) officer: StoreAlertOfficerDto;
  @ApiProperty({ description: 'Distinct CCCDs of that day’s filings by the officer that ended refused or withdrawn' }) distinctIdNumbers: number;
  @ApiProperty({ type: [StoreAlertDossierDto] }) dossiers: StoreAlertDossierDto[];
  @ApiProperty({ format: 'date-time' }) firstFlaggedAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class StoreAlertQuery {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'From this Vietnam day' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Up to this Vietnam day' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

const SHARE_CODE_REFUSALS = 'SHARE_CODE_INVALID, SHARE_CODE_EXPIRED, SHARE_CODE_REVOKED, SHARE_CODE_USED_UP, SHARE_CODE_NOT_FOR_YOU';

/**
 * The citizen's consents to open their data store and their access log; staff reading a store
 * under consent; a centre's alerts on unusual counter filings.
 */
@ApiTags('data store')
@Controller()
export class StoreConsentsController {
  constructor(
    @Inject(StoreConsentsService) private readonly consents: StoreConsentsService,
    @Inject(StoreAccessLog) private readonly accessLog: StoreAccessLog,
    @Inject(StoreAlertsService) private readonly alerts: StoreAlertsService,
    @Inject(PersonDocumentsService) private readonly store: PersonDocumentsService,
    @Inject(DossiersService) private readonly dossiers: DossiersService,
  ) {}

  @Post('me/documents/share-codes')
  @Roles(Role.CITIZEN)
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createShareCode',
    summary: 'Chia sẻ kho dữ liệu / Give a short-lived share code opening my data store to one dossier, one staff member or one agency',
    description:
      'Verified accounts only. Exactly one of dossier, officer, agencyCode. It covers all your documents or the documentIds chosen, for `minutes` (at most STORE_SHARE_CODE_MINUTES) and `maxUses` reads; ' +
      'revoke it at any time. Staff present it in the X-Share-Code header; without one they see only what their own agency digitised for you.',
  })
  @ApiCreatedResponse({ type: ShareCodeCreatedDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (minutes beyond STORE_SHARE_CODE_MINUTES)' })
  @ApiResponse({ status: 403, description: 'IDENTITY_NOT_VERIFIED' })
  @ApiResponse({ status: 422, description: 'SHARE_BINDING_INVALID, UNKNOWN_DOSSIER, UNKNOWN_OFFICER, UNKNOWN_AGENCY, UNKNOWN_DOCUMENT' })
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateShareCodeDto): Promise<ShareCodeCreatedDto> {
    verifiedIdNumber(user);
    const row =
      dto.dossier === undefined
        ? undefined
        : await this.dossiers.findVisibleRow(user, dto.dossier).catch((e: unknown) => {
            if (e instanceof AppError && e.code === 'DOSSIER_NOT_FOUND')
              throw StoreErrors.UNKNOWN_DOSSIER([{ field: 'dossier', message: 'no such dossier of yours' }]);
            throw e;
          });
    return this.consents.create(user, { ...dto, dossier: row && { id: row.id, code: row.code, status: row.status } });
  }

  @Get('me/documents/share-codes')
  @Roles(Role.CITIZEN)
  @ApiOperation({
    operationId: 'listShareCodes',
    summary: 'Mã chia sẻ của tôi / My share codes, newest first: for whom, what, until when, how many uses (the codes themselves are not shown again)',
  })
  @ApiOkResponse({ type: [ShareCodeDto] })
  @ApiResponse({ status: 403, description: 'IDENTITY_NOT_VERIFIED' })
  mine(@CurrentUser() user: AuthUser): Promise<ShareCodeView[]> {
    return this.consents.mine(user);
  }

  @Delete('me/documents/share-codes/:id')
  @Roles(Role.CITIZEN)
  @ApiOperation({ operationId: 'revokeShareCode', summary: 'Thu hồi mã chia sẻ / Revoke one of my share codes, effective at once' })
  @ApiOkResponse({ type: ShareCodeDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: id is not a UUID' })
  @ApiResponse({ status: 403, description: 'IDENTITY_NOT_VERIFIED' })
  @ApiResponse({ status: 404, description: 'SHARE_CODE_NOT_FOUND' })
  revoke(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id', 'Mã chia sẻ')) id: string): Promise<ShareCodeView> {
    return this.consents.revoke(user, id);
  }

  @Get('me/documents/access-log')
  @Roles(Role.CITIZEN)
  @ApiOperation({
    operationId: 'listMyStoreAccessLog',
    summary:
      'Nhật ký truy cập kho dữ liệu / Who read my data store and checked my card: every staff list, reuse and download, and every desk card check, newest first',
  })
  @ApiOkResponse({ type: AccessLogPageDto })
  @ApiResponse({ status: 400, description: 'INVALID_CURSOR, VALIDATION_FAILED' })
  @ApiResponse({ status: 403, description: 'IDENTITY_NOT_VERIFIED' })
  accessLogOf(@CurrentUser() user: AuthUser, @Query() q: PageQuery): Promise<Page<AccessLogEntryView>> {
    return this.accessLog.page(verifiedIdNumber(user), q);
  }

  @Get('store/shared-documents')
  @Roles(Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER)
  @ApiOperation({
    operationId: 'listSharedDocuments',
    summary:
      'Giấy tờ được chia sẻ / What a citizen’s share code opens of their store (given to you or your agency), before a dossier exists: file reusing them with the same code',
  })
  @ApiHeader({ name: SHARE_CODE_HEADER, required: true, description: 'The citizen’s share code, or its QR payload' })
  @ApiOkResponse({ type: SharedDocumentsDto })
  @ApiResponse({ status: 400, description: 'SHARE_CODE_REQUIRED' })
  @ApiResponse({ status: 403, description: SHARE_CODE_REFUSALS })
  shared(
    @CurrentUser() user: AuthUser,
    @Headers('x-share-code') shareCode: string | undefined,
  ): Promise<{ idNumber: string; documents: PersonDocumentView[] }> {
    return this.store.sharedWith(user, shareCode);
  }

  @Get('agencies/:code/store-alerts')
  @Roles(Role.LEADER, Role.ADMIN)
  @ApiOperation({
    operationId: 'listStoreAlerts',
    summary:
      'Cảnh báo truy cập kho dữ liệu / Unusual patterns at the centre: an officer’s counter filings of one day for many distinct CCCDs ending refused or withdrawn (STORE_ALERT_REFUSED_PER_DAY)',
  })
  @ApiOkResponse({ type: [StoreAlertDto] })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: a leader of another agency' })
  alertsOf(@CurrentUser() user: AuthUser, @Param('code') code: string, @Query() q: StoreAlertQuery): Promise<StoreAlertView[]> {
    return this.alerts.ofAgency(user, code, q);
  }
}
