import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { uuidParam } from '../common/query-params.js';
import { Scopes } from '../auth/scopes.js';
import { AllowedHostView, AllowHostDto, CreateWebhookDto, DeliveryLogQuery, DeliveryView, ReplayQuery, ReplayResult, TopicView, UpdateWebhookDto, WebhookView, WebhookWithSecret } from './dto/webhook.dto.js';
import { WEBHOOK_TOPICS } from '../integration-events/event-types.js';
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
    return Object.entries(WEBHOOK_TOPICS).map(([name, description]) => ({ name, description }));
  }

  @Post()
  @ApiOperation({ operationId: 'createWebhook', summary: 'Đăng ký webhook / Register an endpoint (its whsec_ secret is shown only in this answer)' })
  @ApiCreatedResponse({ type: WebhookWithSecret })
  @ApiResponse({ status: 403, description: 'WEBHOOK_AGENCY_OUT_OF_SCOPE' })
  @ApiResponse({ status: 422, description: 'WEBHOOK_URL_INVALID, WEBHOOK_URL_NOT_ALLOWED, WEBHOOK_URL_UNRESOLVABLE, WEBHOOK_LIMIT_REACHED' })
  create(@Body() dto: CreateWebhookDto, @CurrentUser() caller: AuthUser): Promise<WebhookWithSecret> {
    return this.webhooks.create(caller, dto);
  }

  @Get()
  @ApiOperation({ operationId: 'listWebhooks', summary: 'Danh sách webhook / The caller\'s endpoints (an admin: all)' })
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
  @ApiOperation({ operationId: 'updateWebhook', summary: 'Sửa webhook / Change an endpoint\'s URL, topics, agencies or description' })
  @ApiOkResponse({ type: WebhookView })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
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
  @ApiOperation({ operationId: 'rotateWebhookSecret', summary: 'Đổi khóa ký / Rotate the signing secret: the new one is shown once; the old one signs too until previousSecretUntil' })
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
  @ApiOperation({ operationId: 'listWebhookDeliveries', summary: 'Nhật ký gửi / The endpoint\'s delivery log, newest first, with each attempt\'s request and answer' })
  @ApiOkResponse({ type: [DeliveryView] })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
  deliveries(@id() webhookId: string, @Query() q: DeliveryLogQuery, @CurrentUser() caller: AuthUser): Promise<DeliveryView[]> {
    return this.webhooks.deliveries(caller, webhookId, q);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ operationId: 'replayWebhook', summary: 'Gửi lại từ một con trỏ / Queue again every subscribed event after `since` (an event id, or an ISO instant)' })
  @ApiResponse({ status: 202, type: ReplayResult, description: 'Queued' })
  @ApiResponse({ status: 400, description: 'WEBHOOK_INVALID_CURSOR' })
  @ApiResponse({ status: 404, description: 'WEBHOOK_NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'WEBHOOK_DISABLED' })
  replay(@id() webhookId: string, @Query() q: ReplayQuery, @CurrentUser() caller: AuthUser): Promise<ReplayResult> {
    return this.webhooks.replay(caller, webhookId, q.since);
  }
}

@ApiTags('admin')
@Controller('admin/webhook-hosts')
@Roles(Role.ADMIN)
export class WebhookHostsController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ operationId: 'listWebhookAllowedHosts', summary: 'Máy chủ nội bộ được phép nhận webhook / Hosts allowed although private or loopback' })
  @ApiOkResponse({ type: [AllowedHostView] })
  list(): Promise<AllowedHostView[]> {
    return this.webhooks.allowedHosts();
  }

  @Post()
  @ApiOperation({ operationId: 'allowWebhookHost', summary: 'Cho phép một máy chủ nội bộ / Allow webhooks to a host on a private network (government networks)' })
  @ApiCreatedResponse({ type: AllowedHostView })
  allow(@Body() dto: AllowHostDto, @CurrentUser() admin: AuthUser): Promise<AllowedHostView> {
    return this.webhooks.allowHost(admin, dto.host, dto.note);
  }

  @Delete(':host')
  @HttpCode(204)
  @ApiOperation({ operationId: 'disallowWebhookHost', summary: 'Bỏ cho phép máy chủ / Remove a host from the allow-list' })
  @ApiNoContentResponse({ description: 'Removed (or was not there)' })
  async disallow(@Param('host') host: string): Promise<void> {
    await this.webhooks.disallowHost(host);
  }
}
