/**
 * A typed list of callbacks. A listener that throws is logged and skipped: one
 * faulty subscriber must not stop the others, nor the socket reader that called it.
 */
import type { Logger } from 'pino';

export class Listeners<T> {
  private readonly fns = new Set<(value: T) => void>();

  constructor(
    private readonly log: Logger,
    private readonly name: string,
  ) {}

  /** Adds a listener; returns the function that removes it. */
  add(fn: (value: T) => void): () => void {
    this.fns.add(fn);
    return () => this.fns.delete(fn);
  }

  emit(value: T): void {
    for (const fn of this.fns) {
      try {
        fn(value);
      } catch (err) {
        this.log.error({ err, listener: this.name }, 'listener threw');
      }
    }
  }
}
