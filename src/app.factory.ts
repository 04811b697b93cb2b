import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { checkParsedBody } from './common/body-depth.js';
import { Clock, SystemClock } from './common/clock.js';
import { AllExceptionsFilter } from './common/http-exception.filter.js';
import { buildOpenApi, mountOpenApi } from './common/openapi.js';
import type { OpenAPIObject } from '@nestjs/swagger';
import { assignRequestId } from './common/request-id.js';
import { createValidationPipe } from './common/validation.js';
import { UrlTextGuard } from './common/url-text.js';
import { securityHeaders } from './common/security-headers.js';
import { DASHBOARD_PATH, mountQueueDashboard } from './operations/queue-dashboard.js';

export const API_PREFIX = 'api/v1';
export const JSON_BODY_LIMIT = '1mb';

/** /api/v1 before every route but the probes and metrics (the served app and the exported document alike). */
function setRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready', 'metrics'] });
}

/**
 * The OpenAPI document of the application built from `config`, without connecting to anything:
 * Nest's preview mode reads the modules' metadata and instantiates no provider. The same document
 * as /docs-json serves (a test compares them); `npm run openapi:export` writes it to a file.
 */
export async function buildOpenApiDocument(config: AppConfig): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule.register(config, new SystemClock()), { preview: true, logger: false, abortOnError: false });
  try {
    setRoutePrefix(app);
    return buildOpenApi(app, config);
  } finally {
    await app.close();
  }
}

/**
 * Builds the configured Nest application (not yet listening). main.ts and every e2e test go
 * through here, so tests exercise exactly the pipeline users get.
 */
export async function createApp(config: AppConfig, clock: Clock = new SystemClock()): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, clock), {
    bufferLogs: true,
    bodyParser: false,
    // Keep each JSON body's bytes as received (req.rawBody): signed callbacks are checked on them.
    rawBody: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.use((req: Parameters<typeof assignRequestId>[0], res: Parameters<typeof assignRequestId>[1], next: () => void) => {
    assignRequestId(req, res);
    next();
  });
  app.use(securityHeaders(DASHBOARD_PATH));
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: JSON_BODY_LIMIT, extended: false });
  app.use(checkParsedBody(config.jsonMaxDepth));
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  setRoutePrefix(app);
  // After the authentication guards (registered by AuthModule), before every route's own.
  app.useGlobalGuards(new UrlTextGuard());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  mountOpenApi(app, config);
  mountQueueDashboard(app);
  return app;
}
