import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { CalendarDay } from './calendar-day.entity.js';
import { CalendarController } from './calendar.controller.js';
import { CalendarService } from './calendar.service.js';

/** Working-time calendars per agency. Other capabilities use CalendarService and the pure functions of working-calendar.ts. */
@Module({
  imports: [TypeOrmModule.forFeature([CalendarDay]), AgenciesModule],
  controllers: [CalendarController],
  providers: [CalendarService],
  exports: [CalendarService],
})
export class CalendarModule {}
