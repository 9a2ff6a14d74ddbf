/** Which configured label takes the suggestions of a category (issue 18, point 2). */
import * as assert from 'node:assert/strict';
import { DEFAULT_LABEL_DEFINITIONS, labelForCategory } from '../../src/core/labels';

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
