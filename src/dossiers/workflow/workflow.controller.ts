import { Body, Controller, HttpCode, Inject, Param, Post, type ArgumentMetadata } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../../common/auth-context.js';
import { createValidationPipe } from '../../common/validation.js';
import { DossiersService } from '../dossiers.service.js';
import { DossierDetailView } from '../dto/dossier.dto.js';
import { ACTION_BODIES, ActionBody } from './action-bodies.js';
import { ACTIONS, TRANSITIONS, type Action } from './transitions.js';
import { WorkflowService } from './workflow.service.js';
import { DossierErrors } from '../dossiers.errors.js';

const validation = createValidationPipe();
const BODY_CLASSES = [...new Set(Object.values(ACTION_BODIES))];

@ApiTags('dossiers')
@ApiExtraModels(...BODY_CLASSES)
@Controller('dossiers')
export class WorkflowController {
  constructor(
    @Inject(WorkflowService) private readonly workflow: WorkflowService,
    @Inject(DossiersService) private readonly dossiers: DossiersService,
  ) {}

  @Post(':idOrCode/actions/:action')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Thao tác trên hồ sơ / Take a workflow action',
    description: TRANSITIONS.map((t) => `- \`${t.action}\`: ${t.from.join(', ')} → ${typeof t.to === 'function' ? '(depends)' : t.to}. ${t.summary}`).join('\n'),
  })
  @ApiParam({ name: 'action', enum: ACTIONS })
  @ApiBody({ schema: { oneOf: BODY_CLASSES.map((c) => ({ $ref: getSchemaPath(c) })) }, description: 'The body of the action (see ACTION_BODIES): expectedVersion always' })
  @ApiOkResponse({ type: DossierDetailView })
  @ApiResponse({ status: 404, description: 'DOSSIER_NOT_FOUND (also when the caller may not see it), UNKNOWN_ACTION' })
  @ApiResponse({ status: 409, description: 'DOSSIER_VERSION_CONFLICT with the current version' })
  @ApiResponse({ status: 422, description: 'ACTION_NOT_ALLOWED with the allowed actions, or a guard code (SIGNATURE_REQUIRED, ALREADY_RESCHEDULED, …)' })
  async act(
    @CurrentUser() user: AuthUser,
    @Param('idOrCode') idOrCode: string,
    @Param('action') action: string,
    @Body() raw: Record<string, unknown>,
  ): Promise<DossierDetailView> {
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw DossierErrors.UNKNOWN_ACTION(action, [{ field: 'action', message: `one of ${ACTIONS.join(', ')}` }]);
    }
    const metatype = ACTION_BODIES[action as Action];
    const body = (await validation.transform(raw ?? {}, { type: 'body', metatype } as ArgumentMetadata)) as ActionBody;
    await this.workflow.act(user, idOrCode, action as Action, body);
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    return this.workflow.detail(user, row);
  }
}
