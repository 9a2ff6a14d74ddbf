import * as assert from 'node:assert/strict';
import { entityType, entityTypeCounter, withEntityType } from '../../src/core/normalise';
import { Annotation } from '../../src/core/schema';

describe('entity normalisation', () => {
  it('gives every spelling of a force the same id', () => {
    for (const text of ['the Met', 'Metropolitan Police', 'Scotland Yard', 'Metropolitan Police Service']) {
      assert.equal(entityType('force', text), 'metropolitan', text);
    }
    assert.equal(entityType('force', 'Hampshire Constabulary'), 'hampshire_and_isle_of_wight');
  });

  it('types allegation and sanction spans by the cue they contain', () => {
    assert.equal(entityType('sanction', 'was dismissed without notice'), 'dismissal_without_notice');
    assert.ok(entityType('allegation', 'abused his position for a sexual purpose'));
  });

  it('leaves the type unset when the span names several entries, none, or the label is not a category', () => {
    assert.equal(entityType('force', 'Kent Police and Essex Police'), undefined);
    assert.equal(entityType('force', 'the officer'), undefined);
    assert.equal(entityType('witness', 'Kent Police'), undefined);
  });

  it('never replaces a type set by hand', () => {
    const a: Annotation = { id: 'a-1', label: 'force', start: 0, end: 7, text: 'the Met', source: 'manual', created: '2026-11-22T10:00:00Z', attributes: { type: 'custom' } };
    assert.equal(withEntityType(a).attributes?.type, 'custom');
    assert.equal(withEntityType({ ...a, attributes: undefined }).attributes?.type, 'metropolitan');
  });

  it('types the same when counting many spans, whatever came before (entityTypeCounter remembers only what a text alone says)', () => {
    const spans: Array<[string, string, string?]> = [
      ['force', 'Hampshire', ' police officer was'],
      ['force', 'Hampshire', ' and the coast'],
      ['force', 'Hampshire'],
      ['force', 'the Met'],
      ['force', 'Kent Police and Essex Police'],
      ['force', 'the officer', ' said'],
      ['sanction', 'was dismissed without notice'],
      ['sanction', 'dismissed', ' without notice'],
      ['sanction', 'dismissed'],
      ['allegation', 'abused his position for a sexual purpose'],
      ['allegation', 'had relationships with vulnerable women'],
      ['witness', 'Kent Police'],
    ];
    const counter = entityTypeCounter();
    for (const [label, text, after] of [...spans, ...spans.slice().reverse()]) {
      assert.equal(counter(label, text, after), entityType(label, text, after), `${label} "${text}" before "${after ?? ''}"`);
    }
  });
});
