import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiConflictResponse,
} from '@nestjs/swagger';
import { Public, Role, Roles } from '../common/auth-context.js';
import { intParam } from '../common/query-params.js';
import { CatalogService } from './catalog.service.js';
import { CreateProcedureDto, ProcedureQuery, UpdateProcedureDto } from './dto/procedure.dto.js';
import { ProcedurePage, ProcedureResponse } from './dto/procedure-response.dto.js';

@ApiTags('catalog')
@Controller()
export class CatalogController {
  constructor(@Inject(CatalogService) private readonly catalog: CatalogService) {}

  @Get('procedures')
  @Public()
  @ApiOperation({
    operationId: 'listProcedures',
    summary: 'Danh mục thủ tục / List procedures',
    description: 'Filters combine; `q` ignores accents and case and every word must match. Sorted by code, cursor-paginated.',
  })
  @ApiOkResponse({ type: ProcedurePage })
  list(@Query() query: ProcedureQuery): Promise<ProcedurePage> {
    return this.catalog.listProcedures(query);
  }

  @Get('procedures/:code')
  @Public()
  @ApiOperation({ operationId: 'getProcedure', summary: 'Chi tiết thủ tục / A procedure with its fees, components and internal process' })
  @ApiOkResponse({ type: ProcedureResponse })
  @ApiNotFoundResponse({ description: 'PROCEDURE_NOT_FOUND' })
  get(@Param('code') code: string): Promise<ProcedureResponse> {
    return this.catalog.getProcedure(code);
  }

  @Get('procedures/:code/versions/:version')
  @Public()
  @ApiOperation({
    operationId: 'getProcedureVersion',
    summary: 'Phiên bản thủ tục / A procedure as it stood at a version',
    description: 'What a dossier filed under that version must follow.',
  })
  @ApiOkResponse({ type: ProcedureResponse })
  @ApiNotFoundResponse({ description: 'PROCEDURE_NOT_FOUND, PROCEDURE_VERSION_NOT_FOUND' })
  getVersion(@Param('code') code: string, @Param('version', intParam('version', 'Phiên bản')) version: number): Promise<ProcedureResponse> {
    return this.catalog.getProcedureVersion(code, version);
  }

  @Post('admin/procedures')
  @Roles(Role.ADMIN)
  @ApiOperation({ operationId: 'createProcedure', summary: 'Thêm thủ tục / Add a procedure' })
  @ApiCreatedResponse({ type: ProcedureResponse })
  @ApiConflictResponse({ description: 'PROCEDURE_ALREADY_EXISTS' })
  @ApiUnprocessableEntityResponse({ description: 'PROCESS_EXCEEDS_TIME_LIMIT, DUPLICATE_COMPONENT_CODE, DUPLICATE_STEP_CODE' })
  create(@Body() body: CreateProcedureDto): Promise<ProcedureResponse> {
    return this.catalog.createProcedure(body);
  }

  @Patch('admin/procedures/:code')
  @Roles(Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'updateProcedure',
    summary: 'Sửa thủ tục / Change a procedure',
    description: 'Arrays given replace the old ones. Every change makes a new version; a change to the same values does not.',
  })
  @ApiOkResponse({ type: ProcedureResponse })
  @ApiNotFoundResponse({ description: 'PROCEDURE_NOT_FOUND' })
  @ApiConflictResponse({ description: 'PROCEDURE_VERSION_CONFLICT (expectedVersion is not the current version)' })
  @ApiUnprocessableEntityResponse({ description: 'PROCESS_EXCEEDS_TIME_LIMIT, DUPLICATE_COMPONENT_CODE, DUPLICATE_STEP_CODE' })
  update(@Param('code') code: string, @Body() body: UpdateProcedureDto): Promise<ProcedureResponse> {
    return this.catalog.updateProcedure(code, body);
  }
}
