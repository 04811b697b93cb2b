/** Rejects when `p` takes longer than `ms` (the work itself may still finish later: it is idempotent). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** `close()` waits for Redis; bounded so that stopping a process never hangs on a Redis outage. */
export async function closeOrDrop(c: { close(): Promise<void>; disconnect(): Promise<void> }, ms = 3000): Promise<void> {
  try {
    await withTimeout(c.close(), ms, 'closing a Redis connection');
  } catch {
    await c.disconnect().catch(() => undefined);
  }
}
