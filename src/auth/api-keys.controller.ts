import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { uuidParam } from '../common/query-params.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKey } from './dto/api-key.dto.js';

@ApiTags('admin')
@Controller('admin/api-keys')
export class ApiKeysController {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  @Post()
  @Roles(Role.ADMIN)
  @ApiOperation({ operationId: 'createApiKey', summary: 'Cấp khóa API cho hệ thống tích hợp / Issue an integrator API key (the key is shown only once)' })
  @ApiCreatedResponse({ type: CreatedApiKey })
  @ApiResponse({ status: 422, description: 'UNKNOWN_AGENCY' })
  create(@Body() dto: CreateApiKeyDto, @CurrentUser() admin: AuthUser): Promise<CreatedApiKey> {
    return this.keys.create(dto, admin.kind === 'user' ? admin.id : null);
  }

  @Get()
  @Roles(Role.ADMIN)
  @ApiOperation({ operationId: 'listApiKeys', summary: 'Danh sách khóa API / List API keys (never their secrets)' })
  @ApiOkResponse({ type: [ApiKeyView] })
  list(): Promise<ApiKeyView[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @Roles(Role.ADMIN)
  @HttpCode(204)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Thu hồi khóa API / Revoke an API key (effective immediately)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiResponse({ status: 404, description: 'API_KEY_NOT_FOUND' })
  async revoke(@Param('id', uuidParam('id', 'Mã khóa API')) id: string): Promise<void> {
    await this.keys.revoke(id);
  }
}
