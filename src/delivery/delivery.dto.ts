import { ApiProperty } from '@nestjs/swagger';

/** How a queued delivery and its attempts read in the API (webhooks' and the portal sync's logs). */
export class DeliveryAttemptView {
  @ApiProperty() attempt: number;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: Date;
  @ApiProperty() durationMs: number;
  @ApiProperty({ enum: ['SUCCEEDED', 'RETRY', 'FAILED', 'DEAD'] }) outcome: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'method, url, headers (no secrets), bytes' }) request: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'status, some headers, the first 4 KiB of the body' })
  response: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

export class DeliveryView {
  @ApiProperty({ description: 'Delivery id (page with before=)' }) id: string;
  @ApiProperty({ example: 'msg_1042', description: 'webhook-id; the digits are the event cursor for replay' }) messageId: string;
  @ApiProperty({ example: 'dossier.status_changed' }) eventType: string;
  @ApiProperty({ enum: ['PENDING', 'SUCCEEDED', 'FAILED', 'DEAD'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt: Date | null;
  @ApiProperty({ type: Number, nullable: true }) lastHttpStatus: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body sent' }) payload: Record<string, unknown>;
  @ApiProperty({ type: [DeliveryAttemptView] }) attemptLog: DeliveryAttemptView[];
}
