/**
 * A promise queue: jobs run one at a time in the order they were added. Each article's sidecar
 * reads, merges and writes go through one, so a write never interleaves with another write or with
 * a reload of the same file, and `idle()` (flush, rename, deactivate) waits for all of them.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `job` after every job added before it; a failing job does not stop the queue. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every job added so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
