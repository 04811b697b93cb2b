/**
 * Pauses for loops that must stop promptly at shutdown: `wakeAll()` ends every pending pause at
 * once instead of letting the process wait out the longest timer.
 */
export class Sleeper {
  private readonly pending = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.pending.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.pending.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.pending]) wake();
  }
}
