import { applyDecorators, Body, Controller, HttpCode, Inject, Param, Post, type ArgumentMetadata } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../../common/auth-context.js';
import { createValidationPipe } from '../../common/validation.js';
import { DossiersService } from '../dossiers.service.js';
import { DossierDetailView } from '../dto/dossier.dto.js';
import { ACTION_BODIES, ActionBody } from './action-bodies.js';
import { ACTIONS, TRANSITION_BY_ACTION, TRANSITIONS, type Action, type Transition } from './transitions.js';
import { WorkflowService } from './workflow.service.js';
import { DossierErrors } from '../dossiers.errors.js';

const validation = createValidationPipe();
const BODY_CLASSES = [...new Set(Object.values(ACTION_BODIES))];

function describeTransition(t: Transition): string {
  return `${t.from.join(', ')} → ${typeof t.to === 'function' ? '(depends on the dossier)' : t.to}`;
}

/** `request-supplement` → `requestSupplementDossier`: the operationId of an action's own route. */
export function actionOperationId(action: string): string {
  return `${action.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}Dossier`;
}

/** What every action route answers besides 200 (the error bodies are completed by buildOpenApi). */
const ActionResponses = () =>
  applyDecorators(
    ApiOkResponse({ type: DossierDetailView, description: 'The dossier after the action, as GET /dossiers/{idOrCode} shows it' }),
    ApiResponse({ status: 404, description: 'DOSSIER_NOT_FOUND (also when the caller may not see it), UNKNOWN_ACTION' }),
    ApiResponse({ status: 409, description: 'DOSSIER_VERSION_CONFLICT with the current version' }),
    ApiResponse({ status: 422, description: 'ACTION_NOT_ALLOWED with the allowed actions, or a guard code (SIGNATURE_REQUIRED, ALREADY_RESCHEDULED, …)' }),
  );

/**
 * The workflow's actions over HTTP. Every action has its own route and operation
 * (`POST /dossiers/{idOrCode}/actions/accept`, …) with its own body schema, generated below from
 * ACTION_BODIES, so an action added there gets its route without more code here; the generic
 * `POST /dossiers/{idOrCode}/actions/{action}` stays for existing clients. Every one of them runs
 * `perform`: the body is validated against the action's class, then WorkflowService.act.
 */
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
    operationId: 'takeDossierAction',
    deprecated: true,
    summary: 'Thao tác trên hồ sơ (chung) / Take any workflow action',
    description:
      "The same as the action's own operation (e.g. `acceptDossier`), with the action in the path; its body is the action's " +
      "(`expectedVersion` always, the rest as the action's own operation shows). Prefer the per-action operations.\n\n" +
      TRANSITIONS.map((t) => `- \`${t.action}\`: ${describeTransition(t)}. ${t.summary}`).join('\n'),
  })
  @ApiParam({ name: 'action', enum: ACTIONS })
  @ApiBody({ type: ActionBody, description: "The action's body: see the action's own operation for its fields" })
  @ActionResponses()
  act(
    @CurrentUser() user: AuthUser,
    @Param('idOrCode') idOrCode: string,
    @Param('action') action: string,
    @Body() raw: Record<string, unknown>,
  ): Promise<DossierDetailView> {
    return this.perform(user, idOrCode, action, raw);
  }

  /** The one code path of every action route: check the action, validate its body, act, answer the dossier. */
  async perform(user: AuthUser, idOrCode: string, action: string, raw: unknown): Promise<DossierDetailView> {
    if (!Object.hasOwn(ACTION_BODIES, action)) {
      throw DossierErrors.UNKNOWN_ACTION(action, [{ field: 'action', message: `one of ${ACTIONS.join(', ')}` }]);
    }
    const metatype = ACTION_BODIES[action as Action];
    const body = (await validation.transform(raw ?? {}, { type: 'body', metatype } as ArgumentMetadata)) as ActionBody;
    await this.workflow.act(user, idOrCode, action as Action, body);
    const row = await this.dossiers.findVisibleRow(user, idOrCode);
    return this.workflow.detail(user, row);
  }
}

/**
 * Adds one route per entry of ACTION_BODIES to the controller, as if written by hand: a method
 * `action:<name>` with Nest's route and parameter decorators and its own OpenAPI operation (id,
 * summary from the transition table, body schema from the action's class). Its body parameter is
 * declared `Object`, so the global pipe leaves it to `perform`, which validates it exactly as for
 * the generic route.
 */
function addActionRoutes(controller: typeof WorkflowController): void {
  const proto = controller.prototype as unknown as Record<string, unknown>;
  for (const [action, bodyClass] of Object.entries(ACTION_BODIES) as Array<[Action, new () => ActionBody]>) {
    const key = `action:${action}`;
    if (Object.hasOwn(proto, key)) continue;
    const handler = function (this: WorkflowController, user: AuthUser, idOrCode: string, raw: unknown) {
      return this.perform(user, idOrCode, action, raw);
    };
    Object.defineProperty(handler, 'name', { value: key });
    Object.defineProperty(proto, key, { value: handler, writable: true, configurable: true, enumerable: false });
    Reflect.defineMetadata('design:paramtypes', [Object, String, Object], proto, key);
    Reflect.defineMetadata('design:returntype', Promise, proto, key);
    const t = TRANSITION_BY_ACTION.get(action);
    const decorators: MethodDecorator[] = [
      Post(`:idOrCode/actions/${action}`),
      HttpCode(200),
      ApiOperation({
        operationId: actionOperationId(action),
        summary: t ? `${t.summary.split(':')[0]} / ${action}` : action,
        description: t ? `${describeTransition(t)}. ${t.summary}` : undefined,
      }),
      ApiBody({ type: bodyClass }),
      ActionResponses(),
    ];
    const descriptor = Object.getOwnPropertyDescriptor(proto, key)!;
    for (const decorate of decorators.reverse()) decorate(proto, key, descriptor);
    CurrentUser()(proto, key, 0);
    Param('idOrCode')(proto, key, 1);
    Body()(proto, key, 2);
  }
  // Nest registers routes in the order of the prototype's methods: the generic route goes last, so
  // a request to /actions/accept is served by the `accept` route (Express takes the first match).
  const generic = proto.act;
  delete proto.act;
  Object.defineProperty(proto, 'act', { value: generic, writable: true, configurable: true, enumerable: false });
}

addActionRoutes(WorkflowController);
