import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CurrentUser, Role, Roles, type AuthUser } from '../../common/auth-context.js';
import { QUEUE_NAMES, QUEUES, type QueueName } from './queues.js';
import { QueuesService, type QueuePage } from './queues.service.js';
import { DossierErrors } from '../dossiers.errors.js';
import { CHANNELS, type Channel } from '../intake.js';
import { DossierView } from '../dto/dossier.dto.js';

class QueueQueryDto {
  @ApiPropertyOptional({ example: '1.001193' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  procedureCode?: string;

  @ApiPropertyOptional({ enum: ['FULL_ONLINE', 'PARTIAL_ONLINE'] })
  @IsOptional()
  @IsIn(['FULL_ONLINE', 'PARTIAL_ONLINE'])
  serviceLevel?: 'FULL_ONLINE' | 'PARTIAL_ONLINE';

  @ApiPropertyOptional({ enum: CHANNELS, description: 'Kênh nộp: ONLINE, COUNTER (walk-in) or POSTAL' })
  @IsOptional()
  @IsIn(CHANNELS, { message: 'channel must be one of ONLINE, COUNTER, POSTAL' })
  channel?: Channel;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

class QueueItemView extends DossierView {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The overall clock’s due date' }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['ON_TRACK', 'DUE_SOON', 'OVERDUE'] }) deadlineStatus: string | null;
}

class QueuePageView {
  @ApiProperty({ enum: QUEUE_NAMES }) queue: QueueName;
  @ApiProperty() total: number;
  @ApiProperty({ type: [QueueItemView] }) items: QueueItemView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ApiTags('queues')
@Controller('queues')
export class QueuesController {
  constructor(@Inject(QueuesService) private readonly queues: QueuesService) {}

  @Get(':name')
  @Roles(Role.RECEPTION_OFFICER, Role.SPECIALIST, Role.LEADER)
  @ApiOperation({
    operationId: 'getWorkQueue',
    summary: 'Hàng đợi của cán bộ / An officer’s work queue',
    description: QUEUE_NAMES.map((n) => `- \`${n}\`: ${QUEUES[n].summary}`).join('\n'),
  })
  @ApiParam({ name: 'name', enum: QUEUE_NAMES })
  @ApiOkResponse({ type: QueuePageView, description: 'Items sorted by due date (to-receive: oldest filing first)' })
  page(@CurrentUser() user: AuthUser, @Param('name') name: string, @Query() q: QueueQueryDto): Promise<QueuePage> {
    if (!(QUEUE_NAMES as readonly string[]).includes(name)) {
      throw DossierErrors.UNKNOWN_QUEUE(name, [{ field: 'name', message: `one of ${QUEUE_NAMES.join(', ')}` }]);
    }
    return this.queues.page(user, name as QueueName, q);
  }
}
