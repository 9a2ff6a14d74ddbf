/** Which configured label takes the suggestions of a category (issue 18, point 2). */
import * as assert from 'node:assert/strict';
import { addLabel, DEFAULT_LABEL_DEFINITIONS, labelColorProblem, labelForCategory, labelNameProblem, removeLabel, updateLabel } from '../../src/core/labels';

describe('labelForCategory', () => {
  it('gives the default labels their own categories and leaves ranks and bodies as highlights only', () => {
    assert.equal(labelForCategory(DEFAULT_LABEL_DEFINITIONS, 'force'), 'force');
    assert.equal(labelForCategory(DEFAULT_LABEL_DEFINITIONS, 'allegation'), 'allegation');
    assert.equal(labelForCategory(DEFAULT_LABEL_DEFINITIONS, 'sanction'), 'sanction');
    assert.equal(labelForCategory(DEFAULT_LABEL_DEFINITIONS, 'rank'), undefined);
    assert.equal(labelForCategory(DEFAULT_LABEL_DEFINITIONS, 'body'), undefined);
  });

  it('lets a label take the categories it lists', () => {
    const labels = [...DEFAULT_LABEL_DEFINITIONS, { name: 'officer', categories: ['rank'] }];
    assert.equal(labelForCategory(labels, 'rank'), 'officer');
    assert.equal(labelForCategory(labels, 'body'), undefined);
  });

  it('takes only the listed categories when a label lists them, and the first label wins', () => {
    const labels = [
      { name: 'force', categories: ['force', 'body'] },
      { name: 'sanction', categories: [] },
      { name: 'outcome', categories: ['sanction', 'body'] },
    ];
    assert.equal(labelForCategory(labels, 'body'), 'force');
    assert.equal(labelForCategory(labels, 'sanction'), 'outcome');
    assert.equal(labelForCategory(labels, 'allegation'), undefined);
  });
});

describe('editing the label setting', () => {
  const defaults = DEFAULT_LABEL_DEFINITIONS;

  it('checks names and colours before they reach the setting', () => {
    assert.equal(labelNameProblem('witness', defaults), undefined);
    assert.match(labelNameProblem('Officer', defaults) ?? '', /lower-case/);
    assert.match(labelNameProblem('force', defaults) ?? '', /already a label "force"/);
    assert.equal(labelNameProblem('force', defaults, 'force'), undefined, 'renaming a label to itself');
    assert.match(labelNameProblem('__proto__', defaults) ?? '', /starting with a letter/);
    assert.equal(labelColorProblem('#E69F00'), undefined);
    assert.match(labelColorProblem('orange') ?? '', /#rrggbb/);
  });

  it('adds, renames, recolours and removes, writing plain entries', () => {
    let labels = addLabel(defaults, { name: 'witness', color: '#E69F00', categories: ['rank'] });
    assert.deepEqual(labels.at(-1), { name: 'witness', color: '#E69F00', categories: ['rank'] });
    assert.equal(labelForCategory(labels, 'rank'), 'witness');
    labels = updateLabel(labels, 'witness', { name: 'witness_name', description: 'Name of a witness' });
    assert.deepEqual(labels.at(-1), { name: 'witness_name', color: '#E69F00', description: 'Name of a witness', categories: ['rank'] });
    labels = updateLabel(labels, 'force', { color: '#56B4E9' });
    assert.equal(labels[0].color, '#56B4E9');
    labels = removeLabel(labels, 'allegation');
    assert.deepEqual(labels.map((l) => l.name), ['force', 'sanction', 'officer', 'witness_name']);
    assert.equal(DEFAULT_LABEL_DEFINITIONS.length, 4, 'the defaults are never changed in place');
  });
});
