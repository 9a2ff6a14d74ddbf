/**
 * The records an operation touches, by id, before and after it (undefined = absent): what a
 * `SpanChange` or `RelationChange` applies one way and undoes the other.
 */
export interface Pair<T> {
  before: Map<string, T | undefined>;
  after: Map<string, T | undefined>;
}

export function emptyPair<T>(): Pair<T> {
  return { before: new Map(), after: new Map() };
}

/** Notes one record's change: from `before` to `after` (either may be absent, not both). */
export function note<T extends { id: string }>(pair: Pair<T>, before: T | undefined, after: T | undefined): void {
  const id = (before ?? after)!.id;
  pair.before.set(id, before);
  pair.after.set(id, after);
}

/** The pair of one record's change. */
export function single<T extends { id: string }>(before: T | undefined, after: T | undefined): Pair<T> {
  const pair = emptyPair<T>();
  note(pair, before, after);
  return pair;
}
