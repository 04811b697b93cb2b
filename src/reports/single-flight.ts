/**
 * Identical concurrent requests share one computation: the first caller of a key runs it, the
 * others get the same promise until it settles (then the next call runs again). Per process;
 * replicas share the answers through the cache instead.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  run(key: string, compute: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key);
    if (running) return running;
    const flight = Promise.resolve()
      .then(compute)
      .finally(() => this.flights.delete(key));
    this.flights.set(key, flight);
    return flight;
  }

  /** Keys being computed now. */
  get size(): number {
    return this.flights.size;
  }
}
