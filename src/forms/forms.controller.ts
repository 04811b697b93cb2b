import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { CurrentUser, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { FORM_NUMBERS, type FormNumber } from './form-model.js';
import { FormsService } from './forms.service.js';
import { FormErrors } from './forms.errors.js';
import { CONTENT_TYPES, contentDisposition } from '../common/render/files.js';

class RegisterQuery {
  @ApiProperty({ example: '2026-12-01', description: 'First Vietnam date of the period' })
  @IsDateString({ strict: true }, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last Vietnam date of the period (at most 366 days)' })
  @IsDateString({ strict: true }, { message: 'to must be a date YYYY-MM-DD' })
  to: string;
}

const REGISTER_FORMATS = ['csv', 'xlsx'] as const;

class RegisterExportQuery extends RegisterQuery {
  @ApiPropertyOptional({
    enum: REGISTER_FORMATS,
    default: 'xlsx',
    description: 'xlsx (a workbook for people) or csv (UTF-8 with BOM, comma-separated, for data)',
  })
  @IsOptional()
  @IsIn(REGISTER_FORMATS, { message: 'format must be csv or xlsx' })
  format?: (typeof REGISTER_FORMATS)[number];
}

@ApiTags('dossiers')
@Controller()
export class FormsController {
  constructor(@Inject(FormsService) private readonly forms: FormsService) {}

  @Get('agencies/:code/forms/07')
  @Roles(Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER)
  @ApiOperation({
    operationId: 'getReceptionRegister',
    summary: 'Mẫu 07: sổ theo dõi hồ sơ (PDF) / The register of dossiers a centre received in a period',
    description:
      'Every dossier filed at the centre between from and to (Vietnam dates), oldest first, with its channel (online, counter, post), dates and status, and the count per channel. For the centre’s own staff; at most 366 days and 5,000 lines.',
  })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (the period)' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: not staff of this centre' })
  @ApiResponse({ status: 422, description: 'REGISTER_TOO_LONG' })
  async register(@CurrentUser() user: AuthUser, @Param('code') code: string, @Query() q: RegisterQuery, @Res() res: Response): Promise<void> {
    const { pdf, fileName } = await this.forms.register(user, code, q.from, q.to);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${fileName}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(pdf);
  }

  @Get('agencies/:code/register')
  @Roles(Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER)
  @ApiOperation({
    operationId: 'exportReceptionRegister',
    summary: 'Sổ theo dõi hồ sơ (CSV, XLSX) / The register of dossiers a centre received in a period, as a spreadsheet',
    description:
      'The lines of form 07 as data: every dossier filed at the centre between from and to (Vietnam dates), oldest first, with its code, procedure, applicant, channel, dates (Vietnam time) and status. Same readers and limits as form 07: the centre’s own staff; at most 366 days and 5,000 lines.',
  })
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv)
  @ApiResponse({
    status: 200,
    description: 'The file, as an attachment named so-theo-doi-{code}-{from}-{to}.{csv|xlsx}',
    content: { [CONTENT_TYPES.xlsx]: { schema: { type: 'string', format: 'binary' } }, [CONTENT_TYPES.csv]: { schema: { type: 'string' } } },
  })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED (the period, the format)' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: not staff of this centre' })
  @ApiResponse({ status: 422, description: 'REGISTER_TOO_LONG' })
  async registerExport(@CurrentUser() user: AuthUser, @Param('code') code: string, @Query() q: RegisterExportQuery, @Res() res: Response): Promise<void> {
    const file = await this.forms.registerExport(user, code, q.from, q.to, q.format ?? 'xlsx');
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', contentDisposition(file.filename));
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(file.body);
  }

  @Get('dossiers/:idOrCode/forms/:number')
  @ApiOperation({
    operationId: 'getDossierForm',
    summary: 'Biểu mẫu của hồ sơ (PDF) / A legal form of the dossier',
    description:
      '01 receipt and appointment; 02 supplement request; 03 refusal (or reasoned denial); 04 apology and new date; 05 notice of stop; 06 process control sheet. Each carries a QR code of the public lookup.',
  })
  @ApiParam({ name: 'number', enum: FORM_NUMBERS })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: 'DOSSIER_NOT_FOUND, UNKNOWN_FORM' })
  @ApiResponse({ status: 409, description: 'FORM_NOT_AVAILABLE: the step that issues this form has not happened' })
  async form(@CurrentUser() user: AuthUser, @Param('idOrCode') idOrCode: string, @Param('number') number: string, @Res() res: Response): Promise<void> {
    if (!(FORM_NUMBERS as readonly string[]).includes(number)) {
      throw FormErrors.UNKNOWN_FORM(number, [{ field: 'number', message: `one of ${FORM_NUMBERS.join(', ')}` }]);
    }
    const { pdf, fileName } = await this.forms.render(user, idOrCode, number as FormNumber);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${fileName}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(pdf);
  }
}
