/**
 * Work that activation need not wait for. VS Code counts `activate()` against the window's start-up,
 * and on a busy machine every millisecond of work in it can become several (the workbench, the
 * server and the extension host share the cores). So the parts VS Code asks for only later (the
 * sidebar's tree views, the Case view, hover and code-action providers, compare mode) are built on
 * the task after activation.
 *
 * Commands stay registered inside `activate()`: VS Code runs the command that caused an activation
 * as soon as `activate()` returns, possibly before that task. A command that needs deferred work
 * holds its getter (`Later<T>`), which builds the work then and there if the task has not come yet.
 */
import type { Disposable } from 'vscode';

/** Built on first call, or on the task after activation, whichever comes first; the same value after. */
export type Later<T> = () => T;

export class AfterActivation implements Disposable {
  private readonly pending: Array<Later<unknown>> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  /** `make` runs once: at the first call of the returned getter, or when the task after activation runs. */
  defer<T>(make: () => T): Later<T> {
    let made = false;
    let value: T;
    let failure: unknown;
    const get = (): T => {
      if (!made) {
        if (this.disposed) throw new Error('Misconduct Annotator was deactivated');
        // once only, even if it throws: what it registered before failing must not be registered twice
        made = true;
        try {
          value = make();
        } catch (err) {
          failure = err;
        }
      }
      if (failure !== undefined) throw failure;
      return value;
    };
    this.pending.push(get);
    return get;
  }

  /** Schedules the deferred work (called once, at the end of `activate()`). */
  start(): void {
    this.timer ??= setTimeout(() => this.runAll(), 0);
  }

  /** Builds everything still pending now; one piece that fails does not stop the others. */
  runAll(): void {
    clearTimeout(this.timer);
    for (const get of this.pending.splice(0)) {
      try {
        get();
      } catch (err) {
        console.error('Misconduct Annotator: a part built after activation failed', err);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.pending.length = 0;
  }
}
