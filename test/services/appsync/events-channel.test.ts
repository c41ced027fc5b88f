import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../emulator/core/config.ts';
import type { EmulatorError } from '../../../emulator/core/errors.ts';
import { channelMatches, parseChannel } from '../../../emulator/services/appsync/events-channel.ts';

describe('AppSync Events channels', () => {
  it('Events channel: leading and trailing "/" are optional; the first segment is the namespace', () => {
    expect(parseChannel('/default/a/b', false)).toEqual({ path: '/default/a/b', namespace: 'default', segments: ['default', 'a', 'b'], wildcard: false });
    expect(parseChannel('default/a/', false)).toEqual({ path: '/default/a', namespace: 'default', segments: ['default', 'a'], wildcard: false });
    expect(parseChannel('chat', false)?.segments).toEqual(['chat']);
  });

  it('Events channel: 1-5 segments of 1-50 letters, digits and inner "-"', () => {
    expect(parseChannel('/a/b/c/d/e', false)).toBeDefined();
    expect(parseChannel('/a/b/c/d/e/f', false)).toBeUndefined();
    expect(parseChannel(`/a/${'x'.repeat(50)}`, false)).toBeDefined();
    expect(parseChannel(`/a/${'x'.repeat(51)}`, false)).toBeUndefined();
    for (const bad of ['', '/', '//', '/a//b', '/-a', '/a-', '/a/b_c', '/a/b.c', '/a b', 5, null]) expect(parseChannel(bad, false)).toBeUndefined();
    expect(parseChannel('/a-b/C9', false)).toBeDefined();
  });

  it('Events channel: "*" only as the last segment of a subscription, never as the namespace', () => {
    expect(parseChannel('/default/*', true)).toEqual({ path: '/default/*', namespace: 'default', segments: ['default'], wildcard: true });
    expect(parseChannel('/default/*', false)).toBeUndefined();
    expect(parseChannel('/*', true)).toBeUndefined();
    expect(parseChannel('/default/*/a', true)).toBeUndefined();
    expect(parseChannel('/default/a*', true)).toBeUndefined();
    expect(parseChannel('/a/b/c/d/*', true)).toBeDefined();
    expect(parseChannel('/a/b/c/d/e/*', true)).toBeUndefined();
  });

  it('Events channel: a wildcard matches one or more further segments; exact channels match exactly, case-sensitively', () => {
    const sub = (c: string) => parseChannel(c, true)!;
    const pub = (c: string) => parseChannel(c, false)!;
    expect(channelMatches(sub('/default/*'), pub('/default/a'))).toBe(true);
    expect(channelMatches(sub('/default/*'), pub('/default/a/b/c'))).toBe(true);
    expect(channelMatches(sub('/default/*'), pub('/default'))).toBe(false);
    expect(channelMatches(sub('/default/a/*'), pub('/default/b/c'))).toBe(false);
    expect(channelMatches(sub('/default/a'), pub('default/a/'))).toBe(true);
    expect(channelMatches(sub('/default/a'), pub('/default/A'))).toBe(false);
    expect(channelMatches(sub('/default/a'), pub('/default/a/b'))).toBe(false);
  });
});

describe('AppSync Events config', () => {
  it('Events config: namespaces default to { default: {} }; a bad namespace name or an unknown key is reported with its path', () => {
    expect(validateConfig({ appsyncApis: { a: { schema: 's.graphql', events: {} } } }).appsyncApis.a!.events).toEqual({ namespaces: { default: {} } });
    let message = '';
    try {
      validateConfig({ appsyncApis: { a: { schema: 's.graphql', events: { namespaces: { '-bad': {}, ok: { onConnect: 'x' } } } } } });
    } catch (error) {
      expect((error as EmulatorError).code).toBe('ERR_CONFIG_VALIDATION');
      message = (error as Error).message;
    }
    expect(message).toContain('  - appsyncApis.a.events.namespaces["-bad"]: Invalid key in record');
    expect(message).toContain('  - appsyncApis.a.events.namespaces.ok: Unrecognized key: "onConnect"');
  });
});
