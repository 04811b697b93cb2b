import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HttpException, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';
import { HealthController } from './health.controller.js';

/**
 * A worker (APP_ROLE=worker) serves no HTTP, yet a container runtime or supervisor wants to ask
 * it whether it is alive and reaches PostgreSQL and Redis. With HEALTH_PORT set, this plain
 * node:http server answers GET /health/live and /health/ready exactly as the API does (the same
 * controller), and 404 to anything else: none of the API is exposed on it. It answers from inside
 * the worker's event loop, so a stuck worker fails the check too.
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('WorkerHealthServer');
  private server?: Server;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.runsApi || this.config.healthPort === undefined) return;
    const controller = this.moduleRef.get(HealthController, { strict: false });
    const server = createServer((req, res) => void this.answer(controller, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.healthPort, this.config.host, () => resolve());
    });
    this.server = server;
    this.log.log(`worker health checks on port ${this.config.healthPort}`);
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async answer(controller: HealthController, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = req.method === 'GET' || req.method === 'HEAD' ? req.url?.split('?')[0] : undefined;
    let status = 200;
    let body: unknown;
    if (route === '/health/live') {
      body = controller.live();
    } else if (route === '/health/ready') {
      try {
        body = await controller.ready();
      } catch (e) {
        // terminus answers "not ready" with a 503 carrying the health report.
        status = e instanceof HttpException ? e.getStatus() : 503;
        body = e instanceof HttpException ? e.getResponse() : { status: 'error', error: { worker: { status: 'down', message: (e as Error).message } } };
      }
    } else {
      status = 404;
      body = { statusCode: 404, code: 'NOT_FOUND', message: 'Không tìm thấy / Not found: this port serves only /health/live and /health/ready' };
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }
}
