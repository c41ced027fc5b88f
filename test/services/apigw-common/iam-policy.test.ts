import { describe, expect, it } from 'vitest';
import { arnMatch, evaluatePolicy, globMatch, parsePolicyDocument } from '../../../emulator/services/apigw-common/iam-policy.ts';

const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/items/42';

describe('IAM policy evaluation for authorizer policies', () => {
  it('globMatch: * matches any run, ? exactly one character', () => {
    expect(globMatch('a*c', 'abbbc')).toBe(true);
    expect(globMatch('a*c', 'ac')).toBe(true);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('a?c', 'ac')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('a*b*c', 'axxbyyc')).toBe(true);
    expect(globMatch('a*b*c', 'axxbyy')).toBe(false);
    expect(globMatch('GET', 'get')).toBe(false);
  });

  it('arnMatch: segments match separately, so a region wildcard cannot swallow the account', () => {
    expect(arnMatch('*', ARN)).toBe(true);
    expect(arnMatch('arn:aws:execute-api:*:*:abc123/*', ARN)).toBe(true);
    expect(arnMatch('arn:aws:execute-api:*:abc123/*', ARN)).toBe(false);
    expect(arnMatch('arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/items/*', ARN)).toBe(true);
    expect(arnMatch('arn:aws:execute-api:us-east-1:123456789012:abc123/dev/POST/*', ARN)).toBe(false);
  });

  it('parsePolicyDocument: accepts a single statement object and string or list fields', () => {
    expect(parsePolicyDocument({ Statement: { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ['*'] } })).toEqual({
      statements: [{ effect: 'Allow', actions: ['execute-api:Invoke'], resources: ['*'] }],
    });
  });

  it('parsePolicyDocument: rejects what API Gateway cannot use', () => {
    for (const bad of [null, 'x', {}, { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }, { Statement: [{ Effect: 'Allow', Resource: '*' }] }, { Statement: [{ Effect: 'Allow', Action: '*' }] }, { Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] }]) {
      expect(parsePolicyDocument(bad)).toBeUndefined();
    }
  });

  it('evaluatePolicy: explicit Deny beats Allow; no Allow is an implicit deny; actions are case-insensitive', () => {
    const allow = { effect: 'Allow' as const, actions: ['Execute-API:invoke'], resources: ['*'] };
    const deny = { effect: 'Deny' as const, actions: ['execute-api:*'], resources: [ARN] };
    expect(evaluatePolicy({ statements: [allow] }, 'execute-api:Invoke', ARN)).toBe('allow');
    expect(evaluatePolicy({ statements: [allow, deny] }, 'execute-api:Invoke', ARN)).toBe('explicit-deny');
    expect(evaluatePolicy({ statements: [] }, 'execute-api:Invoke', ARN)).toBe('implicit-deny');
  });

  it('evaluatePolicy: NotAction and NotResource invert the match', () => {
    const notResource = { effect: 'Allow' as const, actions: ['*'], notResources: ['arn:aws:execute-api:*:*:abc123/*/DELETE/*'] };
    expect(evaluatePolicy({ statements: [notResource] }, 'execute-api:Invoke', ARN)).toBe('allow');
    const notAction = { effect: 'Deny' as const, notActions: ['execute-api:Invoke'], resources: ['*'] };
    expect(evaluatePolicy({ statements: [notAction] }, 'execute-api:Invoke', ARN)).toBe('implicit-deny');
  });
});
