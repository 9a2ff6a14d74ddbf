import * as assert from 'node:assert/strict';
import { defaultDocumentFields, FieldDefinition, PrefillSpan } from '../../src/core/codebook';
import type { DocumentForm, FieldValue } from '../../src/core/schema';
import { acceptedValue, fieldViews, isFieldValue, openSuggestions, parseTyped } from '../../src/extension/cases/caseModel';
import { caseHtml } from '../../src/extension/cases/html';

const fields = defaultDocumentFields();
const form = (o: Record<string, FieldValue>): DocumentForm => Object.assign(Object.create(null) as DocumentForm, o);
const spans: PrefillSpan[] = [
  { id: 'a-1', label: 'force', text: 'Kent Police', type: 'kent' },
  { id: 'a-2', label: 'sanction', text: 'dismissed without notice', type: 'dismissal_without_notice' },
  { id: 'a-3', label: 'sanction', text: 'a final written warning', type: 'final_written_warning' },
  { id: 'a-4', label: 'allegation', text: 'honesty and integrity', type: 'std_honesty_and_integrity' },
  { id: 'a-5', label: 'allegation', text: 'discreditable conduct', type: 'std_discreditable_conduct' },
];

describe('Case view model', () => {
  it('shows one control per configured field in the settings order, by type, with readable option names', () => {
    const { fields: views, unknown } = fieldViews(fields, form({}), []);
    assert.deepEqual(views.map((f) => [f.name, f.type]), fields.map((f) => [f.name, f.type]));
    assert.deepEqual(unknown, []);
    const outcome = views.find((f) => f.name === 'outcome')!;
    assert.equal(outcome.display, '—');
    assert.equal(outcome.value, undefined);
    assert.deepEqual(outcome.options.find((o) => o.value === 'dismissal_without_notice'), { value: 'dismissal_without_notice', name: 'Dismissal without notice' });
    assert.equal(views.find((f) => f.name === 'officer_rank')!.options.find((o) => o.value === 'constable')?.name, 'Police Constable');
    assert.deepEqual(views.find((f) => f.name === 'barred_list')!.options, []);
  });

  it('keeps and marks a value outside the options, a wrong type and a field the settings do not know', () => {
    const f = form({ outcome: 'sacked_on_the_spot', standards: ['std_confidentiality', 'made_up'], hearing_date: 'March 2020', finding: null, my_field: ['x', '<b>y</b>'] });
    const { fields: views, unknown } = fieldViews(fields, f, []);
    const outcome = views.find((v) => v.name === 'outcome')!;
    assert.equal(outcome.value, 'sacked_on_the_spot');
    assert.deepEqual(outcome.options.at(-1), { value: 'sacked_on_the_spot', name: 'sacked on the spot', unknown: true });
    assert.equal(outcome.problem, '"sacked_on_the_spot" is not one of the options');
    const standards = views.find((v) => v.name === 'standards')!;
    assert.deepEqual(standards.value, ['std_confidentiality', 'made_up']);
    assert.deepEqual(standards.options.filter((o) => o.unknown).map((o) => o.value), ['made_up']);
    assert.equal(standards.problem, '"made_up" is not among the options');
    assert.equal(views.find((v) => v.name === 'hearing_date')!.problem, 'expected a date written YYYY-MM-DD');
    const finding = views.find((v) => v.name === 'finding')!;
    assert.equal(finding.value, null);
    assert.equal(finding.problem, undefined);
    assert.deepEqual(unknown, [{ name: 'my_field', type: 'unknown', options: [], value: ['x', '<b>y</b>'], display: 'x; <b>y</b>', problem: 'not a field of the configured codebook' }]);
  });

  it('offers the pre-fill beside each field with the spans it came from, and not once the form has it', () => {
    const views = fieldViews(fields, form({}), spans).fields;
    const outcome = views.find((v) => v.name === 'outcome')!;
    // the most severe outcome wins
    assert.equal(outcome.suggestion?.value, 'dismissal_without_notice');
    assert.equal(outcome.suggestion?.display, 'Dismissal without notice');
    assert.deepEqual(outcome.suggestion?.from, [{ id: 'a-2', text: 'dismissed without notice' }]);
    assert.match(outcome.suggestion!.reason, /^from 1 sanction span: “dismissed without notice”$/);
    assert.deepEqual(views.find((v) => v.name === 'force')!.suggestion?.value, 'kent');
    assert.deepEqual(views.find((v) => v.name === 'standards')!.suggestion?.value, ['std_honesty_and_integrity', 'std_discreditable_conduct']);
    assert.equal(views.find((v) => v.name === 'proceeding')!.suggestion, undefined);

    const filled = fieldViews(fields, form({ outcome: 'dismissal_without_notice', force: 'metropolitan' }), spans).fields;
    assert.equal(filled.find((v) => v.name === 'outcome')!.suggestion, undefined, 'already the value');
    assert.equal(filled.find((v) => v.name === 'force')!.suggestion?.value, 'kent', 'a different value is still suggested');
  });

  it('accepting a list suggestion adds to the ticked options; Accept all takes every open suggestion', () => {
    const standards = fields.find((f) => f.name === 'standards')!;
    assert.deepEqual(acceptedValue(standards, ['std_confidentiality'], ['std_confidentiality', 'std_use_of_force']), ['std_confidentiality', 'std_use_of_force']);
    assert.deepEqual(acceptedValue(standards, undefined, ['std_use_of_force']), ['std_use_of_force']);
    assert.equal(acceptedValue(fields.find((f) => f.name === 'outcome'), 'written_warning', 'dismissal_without_notice'), 'dismissal_without_notice');
    const open = openSuggestions(fields, form({ standards: ['std_confidentiality', 'std_honesty_and_integrity', 'std_discreditable_conduct'] }), spans);
    assert.deepEqual([...open.keys()].sort(), ['force', 'outcome']);
    assert.ok(!open.has('standards'), 'every suggested standard is ticked already');
  });

  it('reads typed values by the field type; empty clears', () => {
    const def = (type: FieldDefinition['type']): FieldDefinition => ({ name: 'x', type });
    assert.deepEqual(parseTyped(def('number'), ' 3.5 '), { value: 3.5 });
    assert.ok('error' in parseTyped(def('number'), 'three'));
    assert.deepEqual(parseTyped(def('date'), '2024-03-05'), { value: '2024-03-05' });
    assert.ok('error' in parseTyped(def('date'), '5 March 2024'));
    assert.deepEqual(parseTyped(def('boolean'), 'Yes'), { value: true });
    assert.deepEqual(parseTyped(def('multi'), 'a; b ;'), { value: ['a', 'b'] });
    assert.deepEqual(parseTyped(def('text'), '   '), { value: undefined });
    for (const ok of [null, 'x', 3, false, ['a']]) assert.ok(isFieldValue(ok), JSON.stringify(ok));
    for (const bad of [undefined, {}, [1], NaN, Infinity]) assert.ok(!isFieldValue(bad), String(bad));
  });

  it('serves its page under the dashboard policy: one nonce script, no inline style, no network, a live status', () => {
    const html = caseHtml({ cspSource: 'https://file+.vscode-resource.test', scriptUri: 'https://x.test/case.js', styleUri: 'https://x.test/case.css', nonce: 'n0nce' });
    assert.match(html, /content="default-src 'none'; img-src https:\/\/file\+\.vscode-resource\.test data:; style-src https:\/\/file\+\.vscode-resource\.test; script-src 'nonce-n0nce'"/);
    assert.match(html, /<script nonce="n0nce" src="https:\/\/x\.test\/case\.js"><\/script>/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.doesNotMatch(html, /style=|<style|unsafe-inline|http:\/\//);
    assert.match(html, /role="status" aria-live="polite"/);
  });
});
