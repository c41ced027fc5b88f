import { describe, expect, it } from 'vitest';
import { compileRouteSelection } from '../../../emulator/services/apigw-websocket/route-selection.ts';

describe('WebSocket route selection', () => {
  it('route selection: $request.body.action reads the key; values are stringified; missing is ""', () => {
    const select = compileRouteSelection('$request.body.action');
    expect(select('{"action":"sendmessage"}')).toBe('sendmessage');
    expect(select('{"action":42}')).toBe('42');
    expect(select('{"action":true}')).toBe('true');
    expect(select('{"action":{"a":1}}')).toBe('{"a":1}');
    expect(select('{"other":1}')).toBe('');
    expect(select('{"action":null}')).toBe('');
  });

  it('route selection: nested paths', () => {
    expect(compileRouteSelection('$request.body.meta.route.name')('{"meta":{"route":{"name":"join"}}}')).toBe('join');
    expect(compileRouteSelection('$request.body.meta.route.name')('{"meta":"flat"}')).toBe('');
  });

  it('route selection: ${request.body.x} templates with static text', () => {
    const select = compileRouteSelection('${request.body.service}/${request.body.action}');
    expect(select('{"service":"chat","action":"join"}')).toBe('chat/join');
    expect(select('{"service":"chat"}')).toBe('chat/');
  });

  it('route selection: non-JSON and non-object JSON have no key (they go to $default)', () => {
    const select = compileRouteSelection('$request.body.action');
    expect(select('hello')).toBeUndefined();
    expect(select('')).toBeUndefined();
    expect(select('[1,2]')).toBeUndefined();
    expect(select('"action"')).toBeUndefined();
    expect(select('42')).toBeUndefined();
  });
});
