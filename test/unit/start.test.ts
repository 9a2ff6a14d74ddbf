/** `npm start` opens a scratch copy of the samples, never samples/corpus itself (issue 18, point 9). */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, SAMPLES } from './helpers';

describe('npm start', () => {
  it('opens a fresh copy of samples/corpus outside the checkout', () => {
    const run = () => execFileSync(process.execPath, [path.join(REPO, 'scripts', 'start.mjs')], { env: { ...process.env, MISCONDUCT_START_DRY_RUN: '1' }, encoding: 'utf8' }).trim();
    const first = run();
    const second = run();
    try {
      assert.ok(path.isAbsolute(first));
      assert.ok(!path.resolve(first).startsWith(REPO + path.sep), `${first} is outside the checkout`);
      assert.notEqual(first, second, 'each start gets its own copy');
      // every file, the cases folder's too
      const files = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => fs.statSync(path.join(dir, n)).isFile()).sort();
      assert.deepEqual(files(first), files(SAMPLES));
      assert.ok(files(SAMPLES).some((n) => n.startsWith(`cases${path.sep}`)));
      for (const name of files(SAMPLES)) assert.equal(fs.readFileSync(path.join(first, name), 'utf8'), fs.readFileSync(path.join(SAMPLES, name), 'utf8'), name);
    } finally {
      // only the temp folders the script made (never anything else, whatever it printed)
      for (const dir of [first, second]) if (path.basename(path.dirname(dir)).startsWith('misconduct-start-')) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('npm test', () => {
  it('refuses a MISCONDUCT_TEST_STEPS that names no step, instead of running nothing and passing', () => {
    const result = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'test.mjs')], { env: { ...process.env, MISCONDUCT_TEST_STEPS: 'unti' }, encoding: 'utf8' });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no step called "unti"; the steps are compile, lint, build, unit, /);
    assert.doesNotMatch(result.stdout, /===/, 'no step ran');
  });
});
