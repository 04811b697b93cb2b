import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'code', 'message', 'requestId'],
  properties: {
    statusCode: { type: 'integer', example: 404 },
    code: { type: 'string', example: 'DOSSIER_NOT_FOUND', description: 'Stable machine-readable code' },
    message: { type: 'string', example: 'Không tìm thấy hồ sơ / Dossier not found' },
    details: {
      description: 'Which field(s) and why: a list, or for some codes an object (e.g. the current version of a conflict)',
      oneOf: [
        {
          type: 'array',
          items: {
            type: 'object',
            properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
            additionalProperties: true,
          },
        },
        { type: 'object', additionalProperties: true },
      ],
    },
    requestId: { type: 'string', example: '4f3c2a8e-…' },
  },
};

const ERROR_TEXT: Record<string, string> = {
  '400': 'Invalid input (VALIDATION_FAILED, UNKNOWN_FIELD, …)',
  '401': 'Not authenticated (UNAUTHENTICATED)',
  '403': 'Authenticated but not allowed (FORBIDDEN, MISSING_SCOPE)',
  '404': 'Not found, or not visible to the caller',
  '413': 'Body too large (PAYLOAD_TOO_LARGE)',
  '429': 'Too many requests (TOO_MANY_REQUESTS), see Retry-After',
  '500': 'Unexpected error (INTERNAL_ERROR)',
};

function serverOf(publicBaseUrl: string): [string, string] {
  return /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(publicBaseUrl)
    ? ['/', 'The host serving this document (set PUBLIC_BASE_URL to name the deployment)']
    : [publicBaseUrl, 'This deployment (PUBLIC_BASE_URL)'];
}

/**
 * The operationId of a route that names none in its @ApiOperation: `<method><Controller>` in camel
 * case (`listWebhooks`), never Nest's `WebhooksController_list`. Every route of the app names its
 * own; this only keeps a route added without one usable by client generators.
 */
export function fallbackOperationId(controllerKey: string, methodKey: string): string {
  const base = controllerKey.replace(/Controller$/, '');
  return `${methodKey.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase())}${base}`;
}

/**
 * Builds the OpenAPI document and completes what decorators leave implicit: every operation gets
 * its auth (none for @Public routes, bearer JWT or X-API-Key otherwise, with the roles and API-key
 * scopes required) and the error responses it can give, all in the one error shape (except the
 * readiness 503, terminus' HealthReport). Every route but /health/* may answer 429: the
 * per-client rate limit is global.
 */
export function buildOpenApi(app: INestApplication, options: { publicBaseUrl: string }): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('motcua API')
    .setDescription(
      'Dịch vụ công trực tuyến & Bộ phận Một cửa — online public services and one-stop desk.\n\n' +
        'Authenticate with `POST /api/v1/auth/login` and send `Authorization: Bearer <accessToken>`; ' +
        'integrators send `X-API-Key`. Every error has the shape `{statusCode, code, message, details?, requestId}`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    // PUBLIC_BASE_URL when configured; otherwise relative, so /docs' "Try it out" calls the host it was loaded from.
    .addServer(...serverOf(options.publicBaseUrl))
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: fallbackOperationId });
  doc.components = doc.components ?? {};
  doc.components.schemas = { ...(doc.components.schemas ?? {}), ErrorResponse: ERROR_SCHEMA as never };
  const errorRef = (code: string) => ({
    description: ERROR_TEXT[code] ?? 'Error',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
  });

  for (const [route, pathItem] of Object.entries(doc.paths)) {
    for (const op of Object.values(pathItem) as Array<Record<string, unknown>>) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const responses = op.responses as Record<string, unknown>;
      const isPublic = op['x-public'] === true;
      const roles = op['x-roles'] as string[] | undefined;
      const scopes = op['x-scopes'] as string[] | undefined;
      op.security = isPublic ? [] : [{ bearer: [] }, { apiKey: [] }];
      const note = (text: string) => (op.description = `${op.description ? `${op.description}\n\n` : ''}${text}`);
      if (roles?.length) note(`**Roles:** ${roles.join(', ')}`);
      if (scopes?.length) note(`**API-key scopes:** ${scopes.join(', ')}`);
      // Health probes are exempt from the per-client rate limit.
      const codes = route.startsWith('/health/') ? ['400', '500'] : ['400', '429', '500'];
      if (!isPublic) codes.push('401');
      if (roles?.length || scopes?.length) codes.push('403');
      for (const code of codes) if (!responses[code]) responses[code] = errorRef(code);
      for (const [code, r] of Object.entries(responses)) {
        const resp = r as { content?: unknown; description?: string };
        if (Number(code) >= 400 && !resp.content) responses[code] = { ...errorRef(code), description: resp.description ?? ERROR_TEXT[code] };
      }
    }
  }
  return doc;
}

export function mountOpenApi(app: INestApplication, options: { publicBaseUrl: string }): void {
  const doc = buildOpenApi(app, options);
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'motcua API' });
}
