import { describe, expect, it } from 'vitest';
import { matchesFilter, parseFilter, toSubscriptionFilter, type FilterRule, type SubscriptionFilter } from '../../../emulator/services/appsync/js/subscription-filter.ts';
import { matchesSubscription } from '../../../emulator/services/appsync/selection.ts';

const one = (rule: FilterRule): SubscriptionFilter => ({ filterGroup: [{ filters: [rule] }] });
const ticket = { id: 't1', severity: 3, group: 'ops', title: 'Disk full', tags: ['disk', 'page'], author: { name: 'Ada' }, done: false };
const test = (operator: FilterRule['operator'], fieldName: string, value: unknown) => matchesFilter(one({ fieldName, operator, value }), ticket);

describe('AppSync enhanced subscription filters', () => {
  it('filters: eq and ne compare values (objects and arrays by value)', () => {
    expect([test('eq', 'severity', 3), test('eq', 'severity', '3'), test('eq', 'tags', ['disk', 'page']), test('eq', 'done', false)]).toEqual([true, false, true, true]);
    expect([test('ne', 'group', 'dev'), test('ne', 'group', 'ops'), test('ne', 'missing', 1)]).toEqual([true, false, true]);
    expect(test('eq', 'missing', null)).toBe(false);
  });

  it('filters: le lt ge gt order numbers with numbers and strings with strings only', () => {
    expect([test('le', 'severity', 3), test('lt', 'severity', 3), test('ge', 'severity', 3), test('gt', 'severity', 2)]).toEqual([true, false, true, true]);
    expect([test('gt', 'title', 'Cat'), test('lt', 'title', 'Cat'), test('gt', 'severity', '1'), test('gt', 'missing', 0)]).toEqual([true, false, false, false]);
  });

  it('filters: contains and notContains work on strings and lists; beginsWith on strings', () => {
    expect([test('contains', 'title', 'full'), test('contains', 'tags', 'page'), test('contains', 'tags', 'pag'), test('contains', 'severity', 3)]).toEqual([true, true, false, false]);
    expect([test('notContains', 'title', 'empty'), test('notContains', 'tags', 'page')]).toEqual([true, false]);
    expect([test('beginsWith', 'title', 'Disk'), test('beginsWith', 'title', 'full'), test('beginsWith', 'severity', '3')]).toEqual([true, false, false]);
  });

  it('filters: in, notIn, between (inclusive) and containsAny', () => {
    expect([test('in', 'group', ['ops', 'dev']), test('in', 'group', ['dev']), test('in', 'missing', [null])]).toEqual([true, false, false]);
    expect([test('notIn', 'group', ['dev']), test('notIn', 'group', ['ops'])]).toEqual([true, false]);
    expect([test('between', 'severity', [3, 5]), test('between', 'severity', [1, 3]), test('between', 'severity', [4, 5]), test('between', 'severity', [1])]).toEqual([true, true, false, false]);
    expect([test('containsAny', 'tags', ['x', 'page']), test('containsAny', 'tags', ['x']), test('containsAny', 'group', ['ops', 'x'])]).toEqual([true, false, true]);
  });

  it('filters: a dotted fieldName reads a nested field', () => {
    expect([test('eq', 'author.name', 'Ada'), test('eq', 'author.name.first', 'Ada'), test('eq', 'group.name', 'ops')]).toEqual([true, false, false]);
  });

  it('filters: filters in a group are AND-ed, groups are OR-ed', () => {
    const filter: SubscriptionFilter = {
      filterGroup: [
        { filters: [{ fieldName: 'severity', operator: 'ge', value: 4 }, { fieldName: 'group', operator: 'eq', value: 'ops' }] },
        { filters: [{ fieldName: 'author.name', operator: 'eq', value: 'Ada' }, { fieldName: 'done', operator: 'eq', value: false }] },
      ],
    };
    expect(matchesFilter(filter, ticket)).toBe(true);
    expect(matchesFilter(filter, { ...ticket, done: true })).toBe(false);
    expect(matchesFilter(filter, { ...ticket, done: true, severity: 5 })).toBe(true);
  });

  it('util.transform.toSubscriptionFilter: fields AND-ed, or makes groups, and distributes, nested objects name nested fields', () => {
    expect(toSubscriptionFilter({ severity: { ge: 3, le: 5 }, or: [{ group: { eq: 'ops' } }, { tags: { contains: 'page' } }] })).toEqual({
      filterGroup: [
        { filters: [{ fieldName: 'severity', operator: 'ge', value: 3 }, { fieldName: 'severity', operator: 'le', value: 5 }, { fieldName: 'group', operator: 'eq', value: 'ops' }] },
        { filters: [{ fieldName: 'severity', operator: 'ge', value: 3 }, { fieldName: 'severity', operator: 'le', value: 5 }, { fieldName: 'tags', operator: 'contains', value: 'page' }] },
      ],
    });
    expect(toSubscriptionFilter({ and: [{ author: { name: { eq: 'Ada' } } }, { done: { eq: false } }], secret: { eq: 1 } }, ['secret'])).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'author.name', operator: 'eq', value: 'Ada' }, { fieldName: 'done', operator: 'eq', value: false }] }],
    });
    expect(() => toSubscriptionFilter({ a: { eq: 1 } }, [], [{}])).toThrow('util.transform.toSubscriptionFilter with its rules argument');
  });

  it('parseFilter: rejects a filter without filterGroup or with an unknown operator', () => {
    expect(parseFilter({})).toBe('the subscription filter needs a filterGroup list');
    expect(parseFilter({ filterGroup: [{ filters: [{ fieldName: 'a', operator: 'like', value: 1 }] }] })).toBe('unknown filter operator "like"');
  });

  it('a subscription with a filter ignores its arguments; without one, the arguments filter as before', () => {
    const filter = one({ fieldName: 'severity', operator: 'ge', value: 3 });
    expect(matchesSubscription({ args: { group: 'dev' }, filter }, ticket)).toBe(true);
    expect(matchesSubscription({ args: { group: 'dev' } }, ticket)).toBe(false);
    expect(matchesSubscription({ args: { group: 'ops' } }, ticket)).toBe(true);
  });
});
