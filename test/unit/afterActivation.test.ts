/**
 * What activation defers (the sidebar, compare mode, providers) is built on the task after it, or
 * at once by whatever needs it first (a command VS Code runs right after activating us).
 */
import * as assert from 'node:assert/strict';
import { AfterActivation } from '../../src/extension/common/afterActivation';

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('AfterActivation', () => {
  it('builds deferred work on the task after activation, not during it', async () => {
    const later = new AfterActivation();
    const built: string[] = [];
    later.defer(() => built.push('views'));
    later.defer(() => built.push('hovers'));
    later.start();
    assert.deepEqual(built, [], 'nothing is built while activate() runs');
    await nextTask();
    assert.deepEqual(built, ['views', 'hovers']);
    later.dispose();
  });

  it('builds a piece at once when it is needed first, and only once', async () => {
    const later = new AfterActivation();
    let made = 0;
    const views = later.defer(() => ({ made: ++made }));
    later.start();
    const first = views(); // a command run right after activation
    assert.equal(made, 1);
    await nextTask();
    assert.equal(made, 1, 'the task does not build it again');
    assert.equal(views(), first, 'every caller gets the same object');
    later.dispose();
  });

  it('keeps building the other pieces when one fails, and the failed one says why when asked', async () => {
    const later = new AfterActivation();
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args[1]);
    try {
      let tries = 0;
      const broken = later.defer(() => {
        tries++;
        throw new Error('no tree view');
      });
      let other = false;
      later.defer(() => (other = true));
      later.start();
      await nextTask();
      assert.equal(other, true);
      assert.equal(errors.length, 1, 'the failure is logged');
      assert.throws(() => broken(), /no tree view/);
      assert.equal(tries, 1, 'a failed piece is not made again (what it registered before failing would be twice)');
    } finally {
      console.error = original;
      later.dispose();
    }
  });

  it('builds nothing after deactivation', async () => {
    const later = new AfterActivation();
    let built = false;
    const views = later.defer(() => (built = true));
    later.start();
    later.dispose();
    await nextTask();
    assert.equal(built, false);
    assert.throws(() => views(), /deactivated/);
  });
});
