import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Public, Role, Roles } from '../common/auth-context.js';
import { AgenciesService } from './agencies.service.js';
import { AgencyDetailResponse, AgencyPage, AgencyQuery, AgencyResponse, CreateAgencyDto, SetAgencyProceduresDto, UpdateAgencyDto } from './dto/agency.dto.js';

const AGENCY_RULES = 'DISTRICT_LEVEL_ABOLISHED, INVALID_AGENCY_PARENT, PARENT_AGENCY_NOT_FOUND, INVALID_OFFICE_HOURS';

@ApiTags('agencies')
@Controller()
export class AgenciesController {
  constructor(@Inject(AgenciesService) private readonly agencies: AgenciesService) {}

  @Get('agencies')
  @Public()
  @ApiOperation({
    operationId: 'listAgencies',
    summary: 'Danh sách cơ quan / List agencies',
    description: 'Active agencies unless active=false; sorted by code, cursor-paginated.',
  })
  @ApiOkResponse({ type: AgencyPage })
  list(@Query() query: AgencyQuery): Promise<AgencyPage> {
    return this.agencies.listAgencies(query);
  }

  @Get('agencies/:code')
  @Public()
  @ApiOperation({ operationId: 'getAgency', summary: 'Chi tiết cơ quan / An agency with the procedures it resolves' })
  @ApiOkResponse({ type: AgencyDetailResponse })
  @ApiNotFoundResponse({ description: 'AGENCY_NOT_FOUND' })
  get(@Param('code') code: string): Promise<AgencyDetailResponse> {
    return this.agencies.getDetail(code);
  }

  @Post('admin/agencies')
  @Roles(Role.ADMIN)
  @ApiOperation({ operationId: 'createAgency', summary: 'Thêm cơ quan / Add an agency' })
  @ApiCreatedResponse({ type: AgencyResponse })
  @ApiConflictResponse({ description: 'AGENCY_ALREADY_EXISTS' })
  @ApiUnprocessableEntityResponse({ description: AGENCY_RULES })
  create(@Body() body: CreateAgencyDto): Promise<AgencyResponse> {
    return this.agencies.createAgency(body);
  }

  @Patch('admin/agencies/:code')
  @Roles(Role.ADMIN)
  @HttpCode(200)
  @ApiOperation({ operationId: 'updateAgency', summary: 'Sửa cơ quan / Change an agency' })
  @ApiOkResponse({ type: AgencyResponse })
  @ApiNotFoundResponse({ description: 'AGENCY_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: AGENCY_RULES })
  update(@Param('code') code: string, @Body() body: UpdateAgencyDto): Promise<AgencyResponse> {
    return this.agencies.updateAgency(code, body);
  }

  @Put('admin/agencies/:code/procedures')
  @Roles(Role.ADMIN)
  @ApiOperation({ operationId: 'setAgencyProcedures', summary: 'Đặt thủ tục cơ quan giải quyết / Set the procedures an agency resolves' })
  @ApiOkResponse({ type: AgencyDetailResponse })
  @ApiNotFoundResponse({ description: 'AGENCY_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_PROCEDURE_CODES (details name each unknown code)' })
  setProcedures(@Param('code') code: string, @Body() body: SetAgencyProceduresDto): Promise<AgencyDetailResponse> {
    return this.agencies.setProcedures(code, body.procedureCodes);
  }
}
