import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldErrorEntry, variableErrorEntry } from '../../../emulator/services/appsync/errors.ts';
import { buildAppSyncSchema } from '../../../emulator/services/appsync/schema.ts';

// Messages compared with AppSync's as captured in public issues (see README fidelity table).
const schema = buildAppSyncSchema('input In { phone: AWSPhone }\ntype Query { echo(input: In): String list: [T] }\ntype T { at: AWSDateTime }', 'inline');

describe('AppSync error entries', () => {
  it('AppSync: a nested variable field that fails its scalar is named by the field (amplify-flutter#822)', async () => {
    const result = await execute({ schema, document: parse('query Q($input: In) { echo(input: $input) }'), variableValues: { input: { phone: '111 000 4444 000 000 0' } } });
    expect(result.errors!.map(variableErrorEntry)).toEqual([
      { path: null, locations: [{ line: 1, column: 9, sourceName: null }], message: "Variable 'phone' has an invalid value. Unable to parse `111 000 4444 000 000 0` as a valid phone number." },
    ]);
  });

  it('AppSync: an output that fails its scalar reads as the captured one, list indexes in brackets (amplify-js#5963)', async () => {
    const result = await execute({ schema, document: parse('{ list { at } }'), rootValue: { list: [{ at: '2020-05-19T11:05:29.000Z' }, { at: '2020-05-23T06:4:37.000Z' }] } });
    expect(result.data).toEqual({ list: [{ at: '2020-05-19T11:05:29.000Z' }, { at: null }] });
    expect(result.errors!.map((e) => fieldErrorEntry(e, schema))).toEqual([
      { path: ['list', 1, 'at'], locations: null, message: "Can't serialize value (/list[1]/at) : Unable to serialize `2020-05-23T06:4:37.000Z` as a valid DateTime Object." },
    ]);
  });
});
