import { Controller, Get, Headers, Inject, Param } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CatalogService } from '../../catalog/catalog.service.js';
import { CatalogErrors } from '../../catalog/catalog.errors.js';
import { CurrentUser, Role, Roles, type AuthUser } from '../../common/auth-context.js';
import { DossiersService, toParties } from '../dossiers.service.js';
import { RESULT_FORMS } from '../intake.js';
import { PersonDocumentsService, type PersonDocumentView } from './person-documents.service.js';
import { SHARE_CODE_HEADER } from './store-consents.service.js';

class DocumentTypeView {
  @ApiProperty({ example: 'TP01', description: 'Component code in its procedure (KQ for a result)' }) code: string;
  @ApiProperty({ example: 'Giấy tờ tùy thân' }) name: string;
  @ApiProperty({ example: '1.004873' }) procedureCode: string;
}

class SourceDossierView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '000.00.20.H56-261203-0001' }) code: string;
}

export class PersonDocumentDto {
  @ApiProperty({ format: 'uuid', description: 'Give as attachments[].documentId to reuse it' }) id: string;
  @ApiProperty({ enum: ['COMPONENT', 'RESULT'] }) kind: 'COMPONENT' | 'RESULT';
  @ApiProperty({ type: DocumentTypeView }) type: DocumentTypeView;
  @ApiProperty({ type: SourceDossierView }) sourceDossier: SourceDossierView;
  @ApiProperty({ format: 'uuid', description: 'GET /api/v1/files/{id}/content' }) fileId: string;
  @ApiProperty({ enum: RESULT_FORMS, description: 'SCANNED at the desk, or ELECTRONIC (a signed result, state data)' }) form: string;
  @ApiProperty({ example: '2026-12-03' }) issuedOn: string;
  @ApiProperty({ nullable: true, type: String, example: '2036-06-01', description: 'Last valid day; null: no end' }) validUntil: string | null;
  @ApiProperty({ description: 'Still valid today: it can be reused' }) usable: boolean;
  @ApiProperty() createdAt: string;
}

class ReusableComponentDto {
  @ApiProperty({ example: 'TP01' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty() required: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) group: string | null;
  @ApiProperty({ type: [PersonDocumentDto], description: 'Documents of your store that stand for this component (usable first): once-only, no new upload' })
  documents: PersonDocumentDto[];
}

export class ReusableForProcedureDto {
  @ApiProperty({ example: '1.001193' }) procedureCode: string;
  @ApiProperty({ type: [ReusableComponentDto] }) components: ReusableComponentDto[];
  @ApiProperty({ type: [String], description: 'Required components already covered by a usable document of your store' }) requiredCovered: string[];
}

/** The person's electronic data store (kho dữ liệu điện tử): the citizen's own view, and staff's while handling a dossier (their own agency's, or under consent). */
@ApiTags('data store')
@Controller()
export class PersonDocumentsController {
  constructor(
    @Inject(PersonDocumentsService) private readonly store: PersonDocumentsService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(DossiersService) private readonly dossiers: DossiersService,
  ) {}

  @Get('me/documents')
  @Roles(Role.CITIZEN)
  @ApiOperation({
    operationId: 'listMyDocuments',
    summary: 'Kho dữ liệu của tôi / My data store: digitised components and electronic results of my dossiers (verified accounts)',
  })
  @ApiOkResponse({ type: [PersonDocumentDto] })
  @ApiResponse({ status: 403, description: 'IDENTITY_NOT_VERIFIED' })
  mine(@CurrentUser() user: AuthUser): Promise<PersonDocumentView[]> {
    return this.store.mine(user);
  }

  @Get('me/procedures/:code/reusable')
  @Roles(Role.CITIZEN)
  @ApiOperation({
    operationId: 'checkReusableDocuments',
    summary: 'Kiểm tra tái sử dụng / Which components of a procedure my data store already holds (once-only pre-check)',
  })
  @ApiOkResponse({ type: ReusableForProcedureDto })
  @ApiResponse({ status: 403, description: 'IDENTITY_NOT_VERIFIED' })
  @ApiResponse({ status: 404, description: 'UNKNOWN_PROCEDURE' })
  async reusable(@CurrentUser() user: AuthUser, @Param('code') code: string): Promise<ReusableForProcedureDto> {
    const procedure = await this.catalog.findProcedure(code);
    if (!procedure) throw CatalogErrors.UNKNOWN_PROCEDURE(code, [{ field: 'code', message: 'no such procedure' }]);
    const components = await this.store.reusableFor(user, procedure);
    return {
      procedureCode: procedure.code,
      components,
      requiredCovered: components.filter((c) => c.required && c.documents.some((d) => d.usable)).map((c) => c.code),
    };
  }

  @Get('dossiers/:idOrCode/applicant-documents')
  @Roles(Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER)
  @ApiOperation({
    operationId: 'listApplicantDocuments',
    summary: 'Kho dữ liệu của người nộp / The applicant’s data store, for staff handling this (open) dossier',
    description:
      'Without a share code: only what the caller’s own agency digitised or issued for the applicant (source dossiers received or resolved there). ' +
      'With the applicant’s share code (header X-Share-Code, given for this dossier, this staff member or their agency): also what it covers; one use is counted. ' +
      'Every read is in the applicant’s access log (GET /me/documents/access-log).',
  })
  @ApiHeader({ name: SHARE_CODE_HEADER, required: false, description: 'The applicant’s share code, or its QR payload' })
  @ApiOkResponse({ type: [PersonDocumentDto] })
  @ApiResponse({ status: 404, description: 'DOSSIER_NOT_FOUND' })
  @ApiResponse({
    status: 403,
    description:
      'STORE_NOT_OPEN: the dossier is closed; SHARE_CODE_INVALID, SHARE_CODE_EXPIRED, SHARE_CODE_REVOKED, SHARE_CODE_USED_UP, SHARE_CODE_NOT_FOR_YOU',
  })
  async applicant(
    @CurrentUser() user: AuthUser,
    @Param('idOrCode') idOrCode: string,
    @Headers('x-share-code') shareCode: string | undefined,
  ): Promise<PersonDocumentView[]> {
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    return this.store.forHandledDossier(user, row, toParties(row), shareCode);
  }
}
