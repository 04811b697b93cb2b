import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { toInteger } from '../../common/query-params.js';
import { WEBHOOK_TOPIC_NAMES } from '../../integration-events/event-types.js';

export { DeliveryAttemptView, DeliveryView } from '../../delivery/delivery.dto.js';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://hotich.thanhhoa.gov.vn/motcua/webhooks',
    description:
      'http(s) URL; private, loopback and link-local destinations only under an allowance an admin gave the owner (scheme://host:port or a URL prefix)',
  })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ enum: WEBHOOK_TOPIC_NAMES, isArray: true, example: ['dossier.submitted', 'dossier.status_changed'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEBHOOK_TOPIC_NAMES as unknown as string[], { each: true, message: `topics must only contain: ${WEBHOOK_TOPIC_NAMES.join(', ')}` })
  topics: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['000.00.20.H56'],
    description: 'Cơ quan / agencies whose events it gets; omitted or empty = all the caller may see (an API key limited to some agencies: those)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  agencyCodes?: string[];

  @ApiPropertyOptional({ example: 'Hệ thống hộ tịch tỉnh' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_TOPIC_NAMES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEBHOOK_TOPIC_NAMES as unknown as string[], { each: true, message: `topics must only contain: ${WEBHOOK_TOPIC_NAMES.join(', ')}` })
  topics?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  agencyCodes?: string[];

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: WEBHOOK_TOPIC_NAMES, isArray: true }) topics: string[];
  @ApiProperty({ type: [String], description: 'Empty = every agency the owner may see' }) agencyCodes: string[];
  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] }) status: 'ACTIVE' | 'DISABLED';
  @ApiProperty({ type: String, nullable: true }) disabledReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt: Date | null;
  @ApiProperty({ description: 'Failed attempts since the last success' }) consecutiveFailures: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until then the previous secret signs too (rotation)' })
  previousSecretUntil: Date | null;
  @ApiProperty({ enum: ['api-key', 'user'] }) ownerKind: string;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class WebhookWithSecret extends WebhookView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown only in this response: the Standard Webhooks signing secret' })
  secret: string;
}

export class DeliveryLogQuery {
  @ApiPropertyOptional({ description: 'Deliveries older than this delivery id' })
  @IsOptional()
  @Matches(/^\d{1,18}$/)
  before?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ enum: ['PENDING', 'SUCCEEDED', 'FAILED', 'DEAD'] })
  @IsOptional()
  @IsIn(['PENDING', 'SUCCEEDED', 'FAILED', 'DEAD'])
  status?: 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'DEAD';
}

export class ReplayQuery {
  @ApiProperty({
    example: '1042',
    description: 'Replay events after this cursor: an event id (the digits of a webhook-id, exclusive) or an ISO 8601 instant (inclusive)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  since: string;
}

export class ReplayResult {
  @ApiProperty({ description: 'Messages queued again for this endpoint' }) replayed: number;
  @ApiProperty({ type: String, nullable: true, description: 'The last event id replayed: replay again from it for more' }) lastCursor: string | null;
  @ApiProperty({ description: 'True when the limit was reached and more events follow' }) more: boolean;
}

export class TopicView {
  @ApiProperty({ example: 'dossier.submitted' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String], example: ['dossiers:read'], description: 'Scopes an API key needs to subscribe to it and to receive it' })
  requiredScopes: string[];
}

export class AllowWebhookDto {
  @ApiProperty({
    example: 'http://10.20.0.15:8443/motcua/',
    description:
      "scheme://host:port, or a URL prefix: endpoints of this owner whose URL has this scheme, host (as URLs write it) and port, and whose path is at or below this one, may resolve to private or loopback addresses. A missing port is the scheme's default (80, 443)",
  })
  @IsString()
  @MaxLength(2000)
  urlPrefix: string;

  @ApiProperty({ enum: ['api-key', 'user'], description: "The endpoint owner it is for: an integrator's API key, or an admin (user)" })
  @IsIn(['api-key', 'user'])
  ownerKind: 'api-key' | 'user';

  @ApiProperty({ format: 'uuid', description: "The API key's id (GET /admin/api-keys), or the admin's user id" })
  @IsUUID('all')
  ownerId: string;

  @ApiPropertyOptional({ example: 'Mạng diện rộng của tỉnh / provincial WAN' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class AllowancesQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this owner's allowances" })
  @IsOptional()
  @IsUUID('all')
  ownerId?: string;
}

export class AllowanceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'http://10.20.0.15:8443/motcua/', description: 'scheme://host:port/path, the port always written' }) urlPrefix: string;
  @ApiProperty({ enum: ['api-key', 'user'] }) ownerKind: string;
  @ApiProperty({ format: 'uuid' }) ownerId: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}
