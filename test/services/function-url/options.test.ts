import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../emulator/core/config.ts';
import { endpointsSchema } from '../../../emulator/core/endpoints.ts';

describe('function URL: config', () => {
  it('function URL: defaults are BUFFERED and authType NONE, as CreateFunctionUrlConfig\'s', () => {
    const config = validateConfig({ functions: { fn: { handler: 'index.handler' } }, functionUrls: { chat: { function: 'fn' } } });
    expect(config.functionUrls).toEqual({ chat: { function: 'fn', invokeMode: 'BUFFERED', authType: 'NONE' } });
  });

  it('function URL: an unknown function, invoke mode or auth type is reported with its path', () => {
    expect(() => validateConfig({ functionUrls: { chat: { function: 'missing', invokeMode: 'STREAM', authType: 'IAM' } } })).toThrow(
      /functionUrls\.chat\.invokeMode: .*\n.*functionUrls\.chat\.authType: /,
    );
    expect(() => validateConfig({ functionUrls: { chat: { function: 'missing' } } })).toThrow('functionUrls.chat.function: unknown function "missing" (declare it under "functions")');
  });

  it('function URL: the endpoints file lists each URL by name', () => {
    expect(endpointsSchema.parse({ functionUrls: { chat: 'http://127.0.0.1:4020/' } }).functionUrls).toEqual({ chat: 'http://127.0.0.1:4020/' });
  });
});
