import { ApiProperty, PickType } from '@nestjs/swagger';
import { PROCEDURE_AGENCY_LEVELS, SERVICE_LEVELS, type ProcedureAgencyLevel, type ServiceLevel } from '../catalog.types.js';
import { ComponentDto, DurationDto, FeeDto, StepDto, SupplementPolicyDto } from './procedure.dto.js';

export class ProcedureResponse {
  @ApiProperty({ example: '1.001193' })
  code: string;

  @ApiProperty({ example: 'Thủ tục đăng ký khai sinh' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: 'Birth registration' })
  nameEn: string | null;

  @ApiProperty({ example: 'Hộ tịch' })
  field: string;

  @ApiProperty({ enum: SERVICE_LEVELS })
  serviceLevel: ServiceLevel;

  @ApiProperty({ enum: PROCEDURE_AGENCY_LEVELS, isArray: true })
  agencyLevels: ProcedureAgencyLevel[];

  @ApiProperty({ type: DurationDto })
  timeLimit: DurationDto;

  @ApiProperty({ type: [FeeDto] })
  fees: FeeDto[];

  @ApiProperty({ type: [ComponentDto] })
  components: ComponentDto[];

  @ApiProperty({ type: [StepDto] })
  steps: StepDto[];

  @ApiProperty({ type: SupplementPolicyDto })
  supplement: SupplementPolicyDto;

  @ApiProperty({ example: 3, description: 'Bumped on every change; dossiers record the version they were filed under' })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ProcedureSummaryResponse extends PickType(ProcedureResponse, [
  'code',
  'name',
  'nameEn',
  'field',
  'serviceLevel',
  'agencyLevels',
  'timeLimit',
  'version',
] as const) {}

export class ProcedurePage {
  @ApiProperty({ type: [ProcedureSummaryResponse] })
  items: ProcedureSummaryResponse[];

  @ApiProperty({ example: 27, description: 'How many procedures match the filters' })
  total: number;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}
