/**
 * When deferred work runs: every delay of the extension is one of these policies, each named for
 * what it protects. The extension host sends its messages to the window (decorations, status bar,
 * views) after the current task, and in a remote window the socket writes them only once the event
 * loop is free; so work that follows a change waits for the window to have the change, and long
 * work waits for it to be painted. The measurements behind the values are in docs/performance.md
 * and the commit history.
 */
import * as vscode from 'vscode';

/** A frame of the window. */
const FRAME_MS = 16;
/** The window's paint of what it has just received, under load (two cores shared with the server). */
const PAINT_MS = 80;
/** The longest a round trip to the window is waited for. */
const ROUND_TRIP_TIMEOUT_MS = 1000;

/**
 * Resolves once the window has handled every message sent before the call: the workbench answers
 * requests in order, and listing the languages is the cheapest request it answers.
 */
function roundTrip(): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const answered = Promise.resolve(vscode.languages.getLanguages()).then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([answered, new Promise<void>((resolve) => (timer = setTimeout(resolve, ROUND_TRIP_TIMEOUT_MS)))]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** After the window has painted: a change's follow-up messages (counts, a language switch) must not hold back the change's own paint. */
export async function afterPaint(): Promise<void> {
  await roundTrip();
  await sleep(FRAME_MS);
}

/** Before long work: the window paints what it has (a preview, a tag) before the extension host takes the processor, or sends a thousand underlines into the same frame. */
export async function beforeLongWork(): Promise<void> {
  await roundTrip();
  await sleep(PAINT_MS);
}

/** Before a language switch: the grammar's loading and tokenising wait until a new editor's first paint (a few hundred ms) is done. */
export async function beforeLanguageSwitch(): Promise<void> {
  await afterPaint();
  await sleep(250);
}

/** Spans from which a sidecar write counts as long (about half a second of the extension host). */
const LONG_WRITE_SPANS = 10_000;

/**
 * Before a sidecar write: the change that asked for it is painted first, and a long write waits
 * until changes pause (`lastRequest`, restarted by each): tags in a row, or the typing that usually
 * follows a tag (which makes the article unsaved, so the save writes), are not met by a write.
 * A plain timer, not a round trip: writes also run while the window is going away.
 */
export async function beforeWrite(spans: number, lastRequest: () => number): Promise<void> {
  const pause = spans >= LONG_WRITE_SPANS ? 1000 : 100;
  for (let wait = pause; wait > 0; wait = lastRequest() + pause - Date.now()) await sleep(wait);
}

/** A turn of the event loop: setImmediate in Node; a web worker (VS Code for the Web) has only timers. */
const nextTurn: (f: () => void) => void = typeof setImmediate === 'function' ? setImmediate : (f) => setTimeout(f, 0);

/** The longest one slice of long work holds the extension host: half a frame, so keys and paints get through. */
const SLICE_MS = 8;

/**
 * Runs steps (src/core/steps.ts) in slices of SLICE_MS, with a turn of the event loop between them
 * (after the messages that arrived meanwhile: a key's command runs between two slices).
 */
export async function inSlices<T>(steps: Generator<void, T, void>): Promise<T> {
  let deadline = performance.now() + SLICE_MS;
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() < deadline) continue;
    await new Promise<void>((resolve) => nextTurn(resolve));
    deadline = performance.now() + SLICE_MS;
  }
}

/** How long each kind of work waits for the user (or the disk) to pause; one sentence each on what it protects. */
export const Pause = {
  /** Suggestions and learned phrases are recomputed once typing or tagging stops, not on every key. */
  typing: 250,
  /** Orphans are searched for again once typing stops (and always before a write): the search reads the whole text. */
  orphans: 400,
  /** The status bar's per-label counts (a pass over every span) follow once changes stop, after the tag's paint. */
  details: 150,
  /** A newly opened article's first suggestion pass waits so its highlights are painted first. */
  opened: 200,
  /** Views refresh once for a burst of session events (a reload, a merge), not once per event. */
  views: 60,
  /** The corpus view takes a burst of file events (a git checkout, a bulk copy) in one update. */
  fileEvents: 120,
  /** Background reading counts the user as typing until this long after their last change of a text: keys are a few hundred ms apart. */
  typingForBackground: 400,
} as const;

/** How often long work shows what it has done so far; one sentence each on what it protects. */
export const Every = {
  /** The Corpus view redraws the rows its sidecar reads changed together: one message to the window for hundreds of rows, not one each (the window's typing shares its thread with drawing them). */
  corpusRows: 150,
} as const;

/** Sidecars a background read takes a turn while the user types (against a full batch otherwise). */
const TYPING_BATCH = 4;
/** The turn of background reading while the user types: a few frames, so the key's paint has the processor. */
const TYPING_TURN_MS = 4 * FRAME_MS;

/**
 * The pace of background reading (the Corpus view's sidecars): a full batch a turn of the event
 * loop, but only a few a turn of TYPING_TURN_MS while the user types (a change to a text within
 * `Pause.typingForBackground`), since the window paints each key on the same two cores.
 */
export class BackgroundPace implements vscode.Disposable {
  private lastEdit = -Infinity;
  private readonly listener = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length && e.document.uri.scheme !== 'output') this.lastEdit = performance.now();
  });

  /** Yields to the event loop, then says how many of `full` items to take this turn. */
  async turn(full: number): Promise<number> {
    if (performance.now() - this.lastEdit > Pause.typingForBackground) {
      await sleep(0);
      return full;
    }
    await sleep(TYPING_TURN_MS);
    return Math.min(full, TYPING_BATCH);
  }

  dispose(): void {
    this.listener.dispose();
  }
}

/**
 * After the user pauses: `run(key, fn)` runs `fn` once `ms` have passed without another `run`
 * for the same key (each call restarts the wait).
 */
export class AfterPause<K> implements vscode.Disposable {
  private readonly timers = new Map<K, ReturnType<typeof setTimeout>>();

  constructor(private readonly ms: number) {}

  run(key: K, fn: () => void, ms = this.ms): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        fn();
      }, ms),
    );
  }

  cancel(key: K): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** How long idle work waits; one sentence each on what it protects. */
export const Idle = {
  /** The next task: the current one (activation, a draw) ends and its messages go to the window first. */
  nextTask: 0,
  /** Once an article's opening work (load, first draw, first suggestion pass) is done. */
  afterOpen: 1000,
  /** The learner's first read of every sidecar: a Corpus view shown at start-up has begun reading them (the learner then waits for it), and what the user sees goes first. */
  afterViews: 1000,
} as const;

/** When idle: `fn` runs on a later task, after the work it must not compete with. Disposing cancels it. */
export function whenIdle(fn: () => void, wait: keyof typeof Idle = 'nextTask'): vscode.Disposable {
  const timer = setTimeout(fn, Idle[wait]);
  return { dispose: () => clearTimeout(timer) };
}
