import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Role, Roles } from '../common/auth-context.js';
import { uuidParam } from '../common/query-params.js';
import { ReconcileQueryDto, ReconcileReportView, RepushResult, SyncStateQueryDto, SyncStateView } from './dto/portal-sync.dto.js';
import { DeliveryView } from '../delivery/delivery.dto.js';
import { PortalSyncErrors } from './portal-sync.errors.js';
import { PortalSyncService } from './portal-sync.service.js';

@ApiTags('admin')
@Controller('admin/sync')
@Roles(Role.ADMIN)
export class PortalSyncController {
  constructor(@Inject(PortalSyncService) private readonly sync: PortalSyncService) {}

  @Get()
  @ApiOperation({
    operationId: 'getPortalSyncState',
    summary: 'Tình trạng đồng bộ Cổng DVC quốc gia / National portal sync: per-dossier state, lag and failures',
  })
  @ApiOkResponse({ type: SyncStateView })
  state(@Query() q: SyncStateQueryDto) {
    return this.sync.state({ ...q, limit: q.limit ?? 100 });
  }

  @Get(':dossierId/pushes')
  @ApiOperation({
    operationId: 'listPortalPushes',
    summary: "Các lần đẩy hồ sơ lên Cổng / A dossier's pushes with each attempt's request and answer (no secrets)",
  })
  @ApiOkResponse({ type: [DeliveryView], description: 'Newest first' })
  pushes(@Param('dossierId', uuidParam('dossierId', 'Mã hồ sơ')) dossierId: string) {
    return this.sync.pushes(dossierId, 200);
  }

  @Post(':dossierId/repush')
  @HttpCode(202)
  @ApiOperation({ operationId: 'repushToPortal', summary: "Đẩy lại hồ sơ lên Cổng / Re-push a full snapshot of the dossier's current state" })
  @ApiResponse({ status: 202, type: RepushResult })
  @ApiResponse({ status: 404, description: 'PORTAL_SYNC_DOSSIER_NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'PORTAL_SYNC_DISABLED' })
  async repush(@Param('dossierId', uuidParam('dossierId', 'Mã hồ sơ')) dossierId: string): Promise<RepushResult> {
    if (!(await this.sync.exists(dossierId))) throw PortalSyncErrors.PORTAL_SYNC_DOSSIER_NOT_FOUND();
    return this.sync.repush(dossierId, 'manual');
  }

  @Post('reconcile')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'reconcilePortalSync',
    summary: 'Đối soát với Cổng ngay / Run the daily reconciliation now (counts per agency and day; re-push what the portal lacks)',
  })
  @ApiOkResponse({ type: ReconcileReportView })
  @ApiResponse({ status: 409, description: 'PORTAL_SYNC_DISABLED' })
  reconcile(@Query() q: ReconcileQueryDto) {
    return this.sync.reconcileNow(q.days ?? 2);
  }
}
