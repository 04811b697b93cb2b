import { Global, Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { AppConfig } from './app-config.js';
import { Clock, SystemClock } from '../common/clock.js';
import { createRedisClient, RedisClient } from '../common/redis.js';

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {}
  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

/** What every module may inject: the configuration, the clock and the shared Redis client. */
@Global()
@Module({})
export class CoreModule {
  static register(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: RedisClient, useFactory: () => createRedisClient(config.redisUrl) },
        RedisCloser,
      ],
      exports: [AppConfig, Clock, RedisClient],
    };
  }
}
