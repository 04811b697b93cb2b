import { Body, Controller, Delete, Get, HttpCode, Inject, Logger, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { hitCounter } from '../../auth/redis-counters.js';
import { CurrentUser, Role, Roles, type AuthUser } from '../../common/auth-context.js';
import { RedisClient } from '../../common/redis.js';
import { AppConfig } from '../../config/app-config.js';
import { uuidParam } from '../../common/query-params.js';
import { FilesService } from '../../documents/files.service.js';
import { AddTrustAnchorDto, FileSignaturesView, toSignaturesView, TrustAnchorViewDto } from './dto/signatures.dto.js';
import { SignatureVerifications } from './signature-verifications.js';
import { TrustStore, type TrustAnchorView } from '../trust/trust-store.js';
import { SignatureErrors } from '../signatures.errors.js';

const NOT_FOUND = 'FILE_NOT_FOUND: no such file, or not one the caller may read';
const HOUR_MS = 3600_000;

@ApiTags('files')
@Controller('files')
export class FileSignaturesController {
  private readonly log = new Logger('FileSignatures');

  constructor(
    @Inject(FilesService) private readonly files: FilesService,
    @Inject(SignatureVerifications) private readonly verifications: SignatureVerifications,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get(':id/signatures')
  @ApiOperation({
    operationId: 'getFileSignatures',
    summary: 'Chữ ký số trên tệp / The file’s digital signatures and their verification',
    description:
      'Verified in the background after upload (PDF: PAdES/PKCS#7, every signature and revision; XML: XML Signature). Readable by whoever may read the file.',
  })
  @ApiOkResponse({ type: FileSignaturesView })
  @ApiResponse({ status: 404, description: NOT_FOUND })
  async signatures(@Param('id') id: string, @CurrentUser() caller: AuthUser): Promise<FileSignaturesView> {
    await this.files.assertReadable(id, caller);
    return toSignaturesView(id, await this.verifications.reportOf(id));
  }

  @Post(':id/signatures/verify')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'verifyFileSignatures',
    summary: 'Kiểm tra lại chữ ký số / Verify the file’s signatures again (e.g. after a trust anchor was added)',
  })
  @ApiAcceptedResponse({ type: FileSignaturesView, description: 'Queued: state is PENDING until the worker has run' })
  @ApiResponse({ status: 404, description: NOT_FOUND })
  @ApiResponse({ status: 429, description: 'TOO_MANY_VERIFICATIONS: over REVERIFY_PER_HOUR for this account (Retry-After)' })
  async verifyAgain(@Param('id') id: string, @CurrentUser() caller: AuthUser): Promise<FileSignaturesView> {
    await this.files.assertReadable(id, caller);
    await this.countReverification(caller);
    await this.verifications.request(id);
    return toSignaturesView(id, await this.verifications.reportOf(id));
  }

  /**
   * Each re-verification costs a worker's time on the file: REVERIFY_PER_HOUR per account (fixed
   * hourly windows in the shared Redis). Without Redis it lets the request through: this protects
   * capacity, and the queue it feeds needs Redis anyway.
   */
  private async countReverification(caller: AuthUser): Promise<void> {
    const limit = this.config.verification.reverifyPerHour;
    let hit: { count: number; msLeft: number };
    try {
      hit = await hitCounter(this.redis, `${this.config.queuePrefix}:reverify:${caller.kind}:${caller.id}`, HOUR_MS);
    } catch (e) {
      this.log.warn(`re-verification limit not applied, Redis unavailable: ${(e as Error).message}`);
      return;
    }
    if (hit.count <= limit) return;
    const retry = Math.max(1, Math.ceil(hit.msLeft / 1000));
    throw SignatureErrors.TOO_MANY_VERIFICATIONS(retry, limit, { limitPerHour: limit, retryAfterSeconds: retry });
  }
}

@ApiTags('admin')
@Controller('admin/trust-anchors')
export class TrustAnchorsController {
  constructor(@Inject(TrustStore) private readonly trust: TrustStore) {}

  @Get()
  @Roles(Role.ADMIN)
  @ApiOperation({ operationId: 'listTrustAnchors', summary: 'Chứng thư gốc tin cậy / Trust anchors: SIGNATURE_TRUST_DIR and those added here' })
  @ApiOkResponse({ type: [TrustAnchorViewDto] })
  list(): Promise<TrustAnchorView[]> {
    return this.trust.list();
  }

  @Post()
  @Roles(Role.ADMIN)
  @ApiOperation({ operationId: 'addTrustAnchor', summary: 'Thêm chứng thư tin cậy / Trust a CA certificate (PEM); takes effect for the next verification' })
  @ApiCreatedResponse({ type: TrustAnchorViewDto })
  @ApiResponse({ status: 400, description: 'INVALID_CERTIFICATE' })
  @ApiResponse({ status: 409, description: 'TRUST_ANCHOR_EXISTS' })
  @ApiResponse({ status: 422, description: 'NOT_A_CA_CERTIFICATE' })
  add(@Body() dto: AddTrustAnchorDto, @CurrentUser() admin: AuthUser): Promise<TrustAnchorView> {
    return this.trust.add(dto.pem, dto.label ?? null, admin);
  }

  @Delete(':id')
  @Roles(Role.ADMIN)
  @HttpCode(204)
  @ApiOperation({ operationId: 'removeTrustAnchor', summary: 'Gỡ chứng thư tin cậy / Remove a trust anchor added through the API' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiResponse({ status: 404, description: 'TRUST_ANCHOR_NOT_FOUND' })
  async remove(@Param('id', uuidParam('id', 'Mã')) id: string): Promise<void> {
    await this.trust.remove(id);
  }
}
