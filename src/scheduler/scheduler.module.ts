import { Global, Module } from '@nestjs/common';
import { Scheduler } from './scheduler.js';

/** The one scheduler of periodic jobs, injectable everywhere (capabilities register their jobs with it). */
@Global()
@Module({ providers: [Scheduler], exports: [Scheduler] })
export class SchedulerModule {}
