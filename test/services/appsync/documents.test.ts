import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compileDocument } from '../../../emulator/services/appsync/documents.ts';

const schema = buildSchema('type Query { hello: String }');

describe('AppSync documents', () => {
  it('AppSync documents: the same query text is parsed and validated once per schema', () => {
    const first = compileDocument(schema, '{ hello }');
    expect(compileDocument(schema, '{ hello }')).toBe(first);
    expect('document' in first && first.invalid).toEqual([]);
    // Another schema validates the same text afresh.
    const other = buildSchema('type Query { bye: String }');
    const there = compileDocument(other, '{ hello }');
    expect(there).not.toBe(first);
    expect('document' in there && there.invalid.map((e) => e.message)).toEqual(['Cannot query field "hello" on type "Query".']);
  });

  it('AppSync documents: syntax errors and validation errors are remembered too', () => {
    const broken = compileDocument(schema, '{ hello');
    expect('syntaxError' in broken && broken.syntaxError.message).toBe('Syntax Error: Expected Name, found <EOF>.');
    expect(compileDocument(schema, '{ hello')).toBe(broken);
  });

  it('AppSync documents: at most 1,000 texts per schema, the oldest dropped first', () => {
    const own = buildSchema('type Query { n: Int }');
    const oldest = compileDocument(own, '{ n }');
    for (let i = 0; i < 1_000; i++) compileDocument(own, `query Q${i} { n }`);
    expect(compileDocument(own, '{ n }')).not.toBe(oldest);
  });
});
