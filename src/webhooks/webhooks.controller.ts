import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { uuidParam } from '../common/query-params.js';
import { Scopes } from '../auth/scopes.js';
import {
  AllowancesQuery,
  AllowanceView,
  AllowWebhookDto,
  CreateWebhookDto,
  DeliveryLogQuery,
  DeliveryView,
  ReplayQuery,
  ReplayResult,
  TopicView,
  UpdateWebhookDto,
  WebhookView,
  WebhookWithSecret,
} from './dto/webhook.dto.js';
import { WEBHOOK_TOPICS, type WebhookTopic } from '../integration-events/event-types.js';
import { WEBHOOK_TOPIC_SCOPES } from './topic-scopes.js';
import { WebhooksService } from './webhooks.service.js';

const id = () => Param('id', uuidParam('id', 'Mã webhook'));

@ApiTags('webhooks')
@Controller('webhooks')
@Roles(Role.ADMIN, Role.INTEGRATOR)
@Scopes('webhooks:manage')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Get('topics')
  @ApiOperation({ operationId: 'listWebhookTopics', summary: 'Các loại sự kiện có thể đăng ký / Event types an endpoint may subscribe to' })
  @ApiOkResponse({ type: [TopicView] })
  topics(): TopicView[] {
    return Object.entries(WEBHOOK_TOPICS).map(([name, description]) => ({
      name,
      description,
      requiredScopes: [...WEBHOOK_TOPIC_SCOPES[name as WebhookTopic]],
    }));
  }

  @Post()
  @ApiOperation({ operationId: 'createWebhook', summary: 'Đăng ký webhook / Register an endpoint (its whsec_ secret is shown only in this answer)' })
  @ApiCreatedResponse({ type: WebhookWithSecret })
  @ApiResponse({ status: 403, description: 'WEBHOOK_AGENCY_OUT_OF_SCOPE, WEBHOOK_TOPIC_OUT_OF_SCOPE' })
  @ApiResponse({ status: 422, description: 'WEBHOOK_URL_INVALID, WEBHOOK_URL_NOT_ALLOWED, WEBHOOK_URL_UNRESOLVABLE, WEBHOOK_LIMIT_REACHED' })
  create(@Body() dto: CreateWebhookDto, @CurrentUser() caller: AuthUser): Promise<WebhookWithSecret> {
    return this.webhooks.create(caller, dto);
  }

  @Get()
  @ApiOperation({ operationId: 'listWebhooks', summary: "Danh sách webhook / The caller's endpoints (an admin: all)" })
  @ApiOkResponse({ type: [WebhookView] })
  list(@CurrentUser() caller: AuthUser): Promise<WebhookView[]> {
    return this.webhooks.list(caller);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getWebhook', summary: 'Xem webhook / One endpoint' })
  @ApiOkResponse({ type: WebhookView })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
  get(@id() webhookId: string, @CurrentUser() caller: AuthUser): Promise<WebhookView> {
    return this.webhooks.get(caller, webhookId);
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'updateWebhook', summary: "Sửa webhook / Change an endpoint's URL, topics, agencies or description" })
  @ApiOkResponse({ type: WebhookView })
  @ApiResponse({ status: 403, description: 'WEBHOOK_AGENCY_OUT_OF_SCOPE, WEBHOOK_TOPIC_OUT_OF_SCOPE' })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
  @ApiResponse({ status: 422, description: 'WEBHOOK_URL_INVALID, WEBHOOK_URL_NOT_ALLOWED, WEBHOOK_URL_UNRESOLVABLE' })
  update(@id() webhookId: string, @Body() dto: UpdateWebhookDto, @CurrentUser() caller: AuthUser): Promise<WebhookView> {
    return this.webhooks.update(caller, webhookId, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteWebhook', summary: 'Xóa webhook / Delete an endpoint with its delivery log' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
  async remove(@id() webhookId: string, @CurrentUser() caller: AuthUser): Promise<void> {
    await this.webhooks.remove(caller, webhookId);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'rotateWebhookSecret',
    summary: 'Đổi khóa ký / Rotate the signing secret: the new one is shown once; the old one signs too until previousSecretUntil',
  })
  @ApiOkResponse({ type: WebhookWithSecret })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
  rotate(@id() webhookId: string, @CurrentUser() caller: AuthUser): Promise<WebhookWithSecret> {
    return this.webhooks.rotateSecret(caller, webhookId);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ operationId: 'enableWebhook', summary: 'Bật lại webhook / Enable a disabled endpoint: its waiting deliveries go out again, oldest first' })
  @ApiOkResponse({ type: WebhookView })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
  enable(@id() webhookId: string, @CurrentUser() caller: AuthUser): Promise<WebhookView> {
    return this.webhooks.enable(caller, webhookId);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: "Nhật ký gửi / The endpoint's delivery log, newest first, with each attempt's request and answer",
  })
  @ApiOkResponse({ type: [DeliveryView] })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
  deliveries(@id() webhookId: string, @Query() q: DeliveryLogQuery, @CurrentUser() caller: AuthUser): Promise<DeliveryView[]> {
    return this.webhooks.deliveries(caller, webhookId, q);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'replayWebhook',
    summary: 'Gửi lại từ một con trỏ / Queue again every subscribed event after `since` (an event id, or an ISO instant)',
  })
  @ApiResponse({ status: 202, type: ReplayResult, description: 'Queued' })
  @ApiResponse({ status: 400, description: 'WEBHOOK_INVALID_CURSOR' })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'WEBHOOK_DISABLED' })
  replay(@id() webhookId: string, @Query() q: ReplayQuery, @CurrentUser() caller: AuthUser): Promise<ReplayResult> {
    return this.webhooks.replay(caller, webhookId, q.since);
  }
}

@ApiTags('admin')
@Controller('admin/webhook-allowances')
@Roles(Role.ADMIN)
export class WebhookAllowancesController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({
    operationId: 'listWebhookAllowances',
    summary: 'Địa chỉ nội bộ được phép nhận webhook / Private destinations allowed, per owner and scheme://host:port (or URL prefix)',
  })
  @ApiOkResponse({ type: [AllowanceView] })
  list(@Query() q: AllowancesQuery): Promise<AllowanceView[]> {
    return this.webhooks.allowances(q.ownerId);
  }

  @Post()
  @ApiOperation({
    operationId: 'allowWebhookDestination',
    summary: "Cho phép một chủ sở hữu gửi tới địa chỉ nội bộ / Let one owner's endpoints reach a scheme://host:port (or URL prefix) on a private network",
  })
  @ApiCreatedResponse({ type: AllowanceView })
  @ApiResponse({ status: 422, description: 'WEBHOOK_ALLOWANCE_INVALID, UNKNOWN_WEBHOOK_OWNER' })
  allow(@Body() dto: AllowWebhookDto, @CurrentUser() admin: AuthUser): Promise<AllowanceView> {
    return this.webhooks.allow(admin, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'removeWebhookAllowance',
    summary: "Bỏ quyền cho phép / Remove an allowance (its owner's deliveries there are refused from the next attempt)",
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiResponse({ status: 404, description: 'WEBHOOK_ALLOWANCE_NOT_FOUND' })
  async disallow(@Param('id', uuidParam('id', 'Mã quyền cho phép')) allowanceId: string): Promise<void> {
    await this.webhooks.disallow(allowanceId);
  }
}
