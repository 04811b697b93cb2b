import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, type AuthUser } from '../common/auth-context.js';
import { FORM_NUMBERS, type FormNumber } from './form-model.js';
import { FormsService } from './forms.service.js';
import { FormErrors } from './forms.errors.js';

@ApiTags('dossiers')
@Controller('dossiers')
export class FormsController {
  constructor(@Inject(FormsService) private readonly forms: FormsService) {}

  @Get(':idOrCode/forms/:number')
  @ApiOperation({
    operationId: 'getDossierForm',
    summary: 'Biểu mẫu của hồ sơ (PDF) / A legal form of the dossier',
    description: '01 receipt and appointment; 02 supplement request; 03 refusal (or reasoned denial); 04 apology and new date; 05 notice of stop; 06 process control sheet. Each carries a QR code of the public lookup.',
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
