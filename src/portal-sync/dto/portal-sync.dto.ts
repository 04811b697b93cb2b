import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { toInteger } from '../../common/query-params.js';

export class SyncStateQueryDto {
  @ApiPropertyOptional({ enum: ['PENDING', 'DEAD', 'SYNCED'], description: 'Dossiers with pushes waiting, with a dead push, or fully pushed' })
  @IsOptional()
  @IsIn(['PENDING', 'DEAD', 'SYNCED'])
  state?: 'PENDING' | 'DEAD' | 'SYNCED';

  @ApiPropertyOptional({ example: '000.00.20.H56', description: 'Receiving agency' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  agencyCode?: string;

  @ApiPropertyOptional({ example: '000.00.20.H56-261203-0001' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  dossierCode?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ReconcileQueryDto {
  @ApiPropertyOptional({ default: 2, minimum: 1, maximum: 31, description: 'Days back from today (Vietnam time) to compare' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(31)
  days?: number;
}

export class SyncSummaryView {
  @ApiProperty() dossiers: number;
  @ApiProperty() pushed: number;
  @ApiProperty() pending: number;
  @ApiProperty() dead: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Age of the oldest waiting push (ms)' }) oldest_pending_ms: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'p99 of change-to-pushed (ms) over the last hour' }) lag_p99_ms_last_hour: number | null;
  @ApiProperty() failed_attempts_last_day: number;
}

export class DossierSyncView {
  @ApiProperty({ format: 'uuid' }) dossierId: string;
  @ApiProperty() dossierCode: string;
  @ApiProperty() agencyCode: string;
  @ApiProperty({ enum: ['PENDING', 'DEAD', 'SYNCED'] }) state: string;
  @ApiProperty() pushed: number;
  @ApiProperty() pending: number;
  @ApiProperty() dead: number;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true, description: 'The status (or SNAPSHOT) of the last successful push' }) lastPushedChange: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastPushedAt: string | null;
  @ApiProperty({ description: 'Age of its oldest waiting push (ms), 0 when none' }) lagMs: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, nullable: true }) lastDeadDeliveryId: string | null;
}

export class SyncStateView {
  @ApiProperty({ type: SyncSummaryView }) summary: SyncSummaryView;
  @ApiProperty({ type: [DossierSyncView] }) dossiers: DossierSyncView[];
}

export class RepushResult {
  @ApiProperty() deliveryAdded: boolean;
}

export class ReconcileCompared {
  @ApiProperty() agencyCode: string;
  @ApiProperty() day: string;
  @ApiProperty() ours: number;
  @ApiProperty({ type: Number, nullable: true }) portal: number | null;
}

export class ReconcileReportView {
  @ApiProperty({ type: [String] }) days: string[];
  @ApiProperty({ type: [ReconcileCompared] }) compared: ReconcileCompared[];
  @ApiProperty() repushed: number;
}
