import { Redis, type RedisOptions } from 'ioredis';

/**
 * The shared Redis connection for counters and caches (login throttling, rate limits). BullMQ opens
 * its own connections. Commands fail fast rather than queue forever when Redis is down.
 */
export class RedisClient extends Redis {}

export function createRedisClient(url: string, extra: RedisOptions = {}): RedisClient {
  const client = new RedisClient(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false, ...extra });
  client.on('error', () => undefined); // reconnects by itself; readiness reports the outage
  return client;
}
