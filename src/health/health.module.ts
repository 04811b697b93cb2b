import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { WorkerHealthServer } from './worker-health-server.js';

@Module({ imports: [TerminusModule], controllers: [HealthController], providers: [WorkerHealthServer] })
export class HealthModule {}
