import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsDateString } from 'class-validator';
import type { Response } from 'express';
import { CurrentUser, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { FORM_NUMBERS, type FormNumber } from './form-model.js';
import { FormsService } from './forms.service.js';
import { FormErrors } from './forms.errors.js';

class RegisterQuery {
  @ApiProperty({ example: '2026-12-01', description: 'First Vietnam date of the period' }) @IsDateString({ strict: true }, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last Vietnam date of the period (at most 366 days)' }) @IsDateString({ strict: true }, { message: 'to must be a date YYYY-MM-DD' })
  to: string;
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
    description: 'Every dossier filed at the centre between from and to (Vietnam dates), oldest first, with its channel (online, counter, post), dates and status, and the count per channel. For the centre’s own staff; at most 366 days and 5,000 lines.',
  })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF' })
  @ApiResponse({ status: 403, description: 'FORBIDDEN: not staff of this centre' })
  @ApiResponse({ status: 422, description: 'VALIDATION_FAILED (period), REGISTER_TOO_LONG' })
  async register(@CurrentUser() user: AuthUser, @Param('code') code: string, @Query() q: RegisterQuery, @Res() res: Response): Promise<void> {
    const { pdf, fileName } = await this.forms.register(user, code, q.from, q.to);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${fileName}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(pdf);
  }

  @Get('dossiers/:idOrCode/forms/:number')
  @ApiOperation({
    summary: 'Biểu mẫu của hồ sơ (PDF) / A legal form of the dossier',
    description: '01 receipt and appointment; 02 supplement request; 03 refusal (or reasoned denial); 04 apology and new date; 05 notice of stop; 06 process control sheet. Each carries a QR code of the public lookup.',
  })
  @ApiParam({ name: 'number', enum: FORM_NUMBERS })
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'The PDF' })
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
