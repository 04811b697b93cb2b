import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { API_SCOPES, type ApiScope } from '../scopes.js';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Cổng DVC quốc gia', description: 'Tên hệ thống tích hợp / which integrator the key is for' })
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: API_SCOPES, isArray: true, example: ['dossiers:read'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(API_SCOPES as unknown as string[], { each: true, message: `scopes must only contain: ${API_SCOPES.join(', ')}` })
  scopes: ApiScope[];

  @ApiPropertyOptional({ type: [String], example: ['000.00.20.H56'], description: 'Cơ quan được phép / agencies the key may act for; omitted or empty = all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  agencyCodes?: string[];
}

export class ApiKeyView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: API_SCOPES, isArray: true }) scopes: string[];
  @ApiProperty({ type: [String], description: 'Empty = every agency' }) agencyCodes: string[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Precise to about a minute' }) lastUsedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: Date | null;
}

export class CreatedApiKey extends ApiKeyView {
  @ApiProperty({ example: 'mck_3f2a9c1e-…_…', description: 'Shown only in this response: store it now. Send it as the X-API-Key header.' })
  key: string;
}
