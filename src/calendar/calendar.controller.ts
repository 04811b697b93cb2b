import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, Public, Role, Roles, type AuthUser } from '../common/auth-context.js';
import { CalendarService, type EffectiveCalendarDay } from './calendar.service.js';
import {
  CalendarDayResponse,
  CalendarDaysQuery,
  CalendarDaysResponse,
  DeleteCalendarDayQuery,
  DueDateQuery,
  DueDateResponse,
  SetCalendarDayDto,
} from './dto/calendar.dto.js';

@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(@Inject(CalendarService) private readonly calendar: CalendarService) {}

  // Public: the holiday schedule and office hours are public information, and client apps show
  // them before anyone logs in.
  @Get('days')
  @Public()
  @ApiOperation({
    operationId: 'listCalendarDays',
    summary: 'Ngày nghỉ, ngày làm bù / Days off and swapped working days in force',
    description:
      "The exceptions to the weekly office hours that apply to the agency (its own, its parents', national; nearest wins), with provisional national holidays for years without a notice.",
  })
  @ApiOkResponse({ type: CalendarDaysResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (details name the field)' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_AGENCY' })
  async listDays(@Query() query: CalendarDaysQuery): Promise<CalendarDaysResponse> {
    return { items: await this.calendar.effectiveDays(query.agencyCode ?? null, query.from, query.to) };
  }

  @Put('days/:date')
  @Roles(Role.ADMIN)
  @ApiOperation({
    operationId: 'setCalendarDay',
    summary: 'Đặt ngày nghỉ / ngày làm bù / Set a day off or a swapped working day',
    description: 'National without agencyCode; otherwise for the agency and the units under it. Replaces the day of the same level.',
  })
  @ApiOkResponse({ type: CalendarDayResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (details name the field)' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_AGENCY' })
  setDay(@Param('date') date: string, @Body() body: SetCalendarDayDto, @CurrentUser() user: AuthUser): Promise<EffectiveCalendarDay> {
    return this.calendar.setDay(date, body, user.username);
  }

  @Delete('days/:date')
  @Roles(Role.ADMIN)
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteCalendarDay',
    summary: "Bỏ ngày ngoại lệ / Remove a day's exception",
    description:
      "The next level's day, or the weekly hours, apply again. A national day from data/vn-holidays.json comes back at the next start: change it with PUT instead.",
  })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'CALENDAR_DAY_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_AGENCY' })
  async deleteDay(@Param('date') date: string, @Query() query: DeleteCalendarDayQuery): Promise<void> {
    await this.calendar.deleteDay(date, query.agencyCode ?? null);
  }

  @Get('due-date')
  @Public()
  @ApiOperation({
    operationId: 'computeDueDate',
    summary: 'Xem trước hạn giải quyết / Preview a due date',
    description: 'When the clock of a dossier received at start would start, when it is due (Civil Code counting by default) and when it becomes due soon.',
  })
  @ApiOkResponse({ type: DueDateResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (details name the field)' })
  @ApiUnprocessableEntityResponse({ description: 'UNKNOWN_AGENCY, OUT_OF_CALENDAR_RANGE' })
  async dueDate(@Query() query: DueDateQuery): Promise<DueDateResponse> {
    const due = await this.calendar.previewDueDate(
      query.agencyCode ?? null,
      query.start ? new Date(query.start) : null,
      { value: query.value, unit: query.unit },
      query.rule ?? 'DATE_RULE',
    );
    return { clockStartsAt: due.clockStartsAt.toISOString(), dueAt: due.dueAt.toISOString(), dueSoonAt: due.dueSoonAt.toISOString() };
  }
}
