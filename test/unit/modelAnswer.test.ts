import * as assert from 'node:assert/strict';
import { ANSWER_TOOL, answerJsonSchema, parseAnswer } from '../../src/core/model';

const good = { spans: [{ label: 'force', quote: 'Kent Police', context: 'by Kent Police on' }], relations: [], fields: { force: { value: 'kent', quote: 'Kent Police' } } };

describe('model answers (the contract)', () => {
  it('takes an answer as a tool input object, as JSON text, and as JSON in a ```json fence after a sentence', () => {
    for (const input of [good, JSON.stringify(good), `Here you are:\n\`\`\`json\n${JSON.stringify(good, null, 2)}\n\`\`\`\n`]) {
      const r = parseAnswer(input);
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.answer.spans[0].quote, 'Kent Police');
      assert.ok(r.answer.fields instanceof Map);
      assert.deepEqual(r.answer.fields.get('force'), { value: 'kent', quote: 'Kent Police' });
    }
  });

  it('fills in missing relations and fields, and keeps the optional context and reason', () => {
    const r = parseAnswer({ spans: [{ label: 'sanction', quote: 'dismissed', reason: 'the outcome' }] });
    assert.ok(r.ok);
    assert.deepEqual(r.answer.relations, []);
    assert.equal(r.answer.fields.size, 0);
    assert.equal(r.answer.spans[0].reason, 'the outcome');
  });

  it('refuses a field named __proto__ or constructor (JSON.parse makes an own __proto__ key)', () => {
    const proto = parseAnswer('{"spans": [], "fields": {"__proto__": {"value": "x"}}}');
    assert.ok(!proto.ok);
    assert.match(proto.error, /__proto__/);
    const ctor = parseAnswer({ spans: [], fields: { constructor: { value: 'x' } } });
    assert.ok(!ctor.ok);
    assert.match(ctor.error, /constructor/);
  });

  it('says in one line what is wrong with a malformed answer, a refusal or broken JSON', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{"spans": [{"label": "force", "quote": "Kent"}', /not valid JSON|did not answer with JSON/],
      ["I'm sorry, but I can't help with annotating this article.", /did not answer with JSON: "I'm sorry/],
      [{ spans: [{ label: 'force' }] }, /malformed: spans\.0\.quote/],
      [{ spans: [], relations: [{ label: 'outcome', from: -1, to: 0 }] }, /malformed: relations\.0\.from/],
      [[1, 2], /not a JSON object/],
    ];
    for (const [input, message] of cases) {
      const r = parseAnswer(input);
      assert.ok(!r.ok, JSON.stringify(input));
      assert.match(r.error, message);
      assert.ok(!r.error.includes('\n'), r.error);
    }
  });

  it('publishes the JSON Schema of the answer, generated from zod, with the vocabulary as enums', () => {
    assert.equal(ANSWER_TOOL, 'record_annotations');
    const schema = answerJsonSchema({ labels: ['force', 'sanction'], relations: ['outcome'], fields: ['force'] }) as {
      type: string;
      required: string[];
      properties: Record<string, { items?: { required: string[]; properties: Record<string, { enum?: string[] }> }; propertyNames?: { enum: string[] } }>;
    };
    assert.equal(schema.type, 'object');
    assert.deepEqual(schema.required, ['spans']);
    assert.deepEqual(schema.properties.spans.items!.required.sort(), ['label', 'quote']);
    assert.deepEqual(schema.properties.spans.items!.properties.label.enum, ['force', 'sanction']);
    assert.deepEqual(schema.properties.relations.items!.properties.label.enum, ['outcome']);
    assert.deepEqual(schema.properties.fields.propertyNames!.enum, ['force']);
    assert.ok(!('$schema' in schema));
  });
});
