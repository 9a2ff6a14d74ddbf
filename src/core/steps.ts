/**
 * Long work written as steps: a generator that yields between slices of its work and returns its
 * result. The extension runs one in slices between other tasks (a long sidecar is megabytes of
 * JSON); everything else runs it to the end at once.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs steps to the end, at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
