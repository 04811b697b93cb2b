import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentUser, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { decodeCursor, encodeCursor } from '../common/pagination.js';

class NoticesQuery {
  @ApiPropertyOptional() @IsOptional() cursor?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

class DeliveriesQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() dossierId?: string;
}

class NoticeView {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'STATUS_CHANGED' }) kind: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) dossierId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

class NoticePage {
  @ApiProperty({ type: [NoticeView] }) items: NoticeView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

class DeliveryView {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) dossierId: string | null;
  @ApiProperty({ enum: ['EMAIL', 'SMS'] }) channel: string;
  @ApiProperty() recipient: string;
  @ApiProperty({ type: String, nullable: true }) subject: string | null;
  @ApiProperty() body: string;
  @ApiProperty({ enum: ['PENDING', 'SENT', 'FAILED'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
}

class DeliveryPage {
  @ApiProperty({ type: [DeliveryView], description: 'The latest 200' }) items: DeliveryView[];
}

@ApiTags('notifications')
@Controller()
export class NotificationsController {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  @Get('notifications')
  @ApiOperation({ operationId: 'listMyNotifications', summary: 'Thông báo của tôi / The caller’s notices, newest first' })
  @ApiOkResponse({ type: NoticePage })
  async mine(@CurrentUser() user: AuthUser, @Query() q: NoticesQuery): Promise<NoticePage> {
    const limit = q.limit ?? 50;
    const [before] = (decodeCursor(q.cursor, 1) as [string] | undefined) ?? [];
    const rows: Array<{ id: string; kind: string; dossier_id: string | null; payload: Record<string, unknown>; created_at: Date }> = await this.db.query(
      `SELECT id, kind, dossier_id, payload, created_at FROM notifications
        WHERE recipient_kind = 'user' AND recipient_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [user.id, before ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => ({ id: r.id, kind: r.kind, dossierId: r.dossier_id, payload: r.payload, createdAt: new Date(r.created_at).toISOString() })),
      nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1].id]) : null,
    };
  }

  @Get('admin/notifications/deliveries')
  @Roles(Role.ADMIN)
  @ApiOperation({ operationId: 'listNotificationDeliveries', summary: 'E-mail and SMS deliveries (development: what would have been sent)' })
  @ApiOkResponse({ type: DeliveryPage })
  async deliveries(@Query() q: DeliveriesQuery): Promise<DeliveryPage> {
    const rows = await this.db.query(
      `SELECT id, dossier_id, channel, recipient, subject, body, status, attempts, last_error, created_at, sent_at FROM notification_deliveries
        WHERE ($1::uuid IS NULL OR dossier_id = $1) ORDER BY id DESC LIMIT 200`,
      [q.dossierId ?? null],
    );
    return {
      items: rows.map((r: Record<string, unknown>) => ({
        id: r.id as string,
        dossierId: r.dossier_id as string | null,
        channel: r.channel,
        recipient: r.recipient,
        subject: r.subject,
        body: r.body,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: new Date(r.created_at as string).toISOString(),
        sentAt: r.sent_at ? new Date(r.sent_at as string).toISOString() : null,
      })),
    };
  }
}
