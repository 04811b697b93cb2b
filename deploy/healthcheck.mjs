// The container's HEALTHCHECK (Dockerfile, docker-compose.yml): exits 0 when this container's
// process answers /health/ready (PostgreSQL and Redis reachable from it), 1 otherwise. The API
// roles answer on PORT; a worker (APP_ROLE=worker) serves no API and answers on HEALTH_PORT. Node's
// own fetch: the slim image has no curl.
const worker = process.env.APP_ROLE === 'worker';
const port = worker ? process.env.HEALTH_PORT : process.env.PORT || '3000';
if (!port) {
  process.stderr.write('APP_ROLE=worker without HEALTH_PORT: the worker serves no health check\n');
  process.exit(1);
}
try {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(4000) });
  if (!res.ok) process.stderr.write(`/health/ready answered ${res.status}: ${await res.text()}\n`);
  process.exit(res.ok ? 0 : 1);
} catch (e) {
  process.stderr.write(`/health/ready on port ${port}: ${e.cause?.code ?? e.message}\n`);
  process.exit(1);
}
