import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import { Public } from '../common/auth-context.js';
import { RedisClient } from '../common/redis.js';

const INDICATORS = {
  type: 'object' as const,
  additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', example: 'up' } }, additionalProperties: true },
};

/**
 * The readiness body: terminus' health report, not the error shape (load balancers and
 * Kubernetes read the status code; people read which dependency is down).
 */
export class HealthReport {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], example: 'ok' })
  status: 'ok' | 'error' | 'shutting_down';

  @ApiPropertyOptional({ ...INDICATORS, description: 'Dependencies that are up', example: { postgres: { status: 'up' }, redis: { status: 'up' } } })
  info?: Record<string, { status: string }>;

  @ApiPropertyOptional({
    ...INDICATORS,
    description: 'Dependencies that are down, with the reason',
    example: { redis: { status: 'down', message: 'connect ECONNREFUSED' } },
  })
  error?: Record<string, { status: string }>;

  @ApiPropertyOptional({ ...INDICATORS, description: 'Every dependency checked' })
  details?: Record<string, { status: string }>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(TypeOrmHealthIndicator) private readonly db: TypeOrmHealthIndicator,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(RedisClient) private readonly redis: RedisClient,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ operationId: 'checkLiveness', summary: 'Liveness: the process answers' })
  @ApiOkResponse({
    description: 'The process is alive',
    schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  // terminus documents the route itself only where it can require() the ESM @nestjs/swagger
  // (Node 22.12+, not Node 20), which made the OpenAPI document differ by Node version: we
  // describe both answers ourselves, the same everywhere.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ operationId: 'checkReadiness', summary: 'Readiness: PostgreSQL and Redis both answer (503 otherwise)' })
  @ApiOkResponse({ type: HealthReport, description: 'Ready: every dependency is up' })
  @ApiServiceUnavailableResponse({
    type: HealthReport,
    description: 'Not ready: the health report names the dependency that is down (this body is not the error shape)',
  })
  ready() {
    return this.health.check([() => this.db.pingCheck('postgres', { timeout: 2000 }), () => this.pingRedis()]);
  }

  private async pingRedis(): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('redis');
    try {
      const pong = await Promise.race([this.redis.ping(), new Promise<string>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
      return pong === 'PONG' ? indicator.up() : indicator.down({ message: `unexpected reply ${pong}` });
    } catch (e) {
      return indicator.down({ message: (e as Error).message });
    }
  }
}
