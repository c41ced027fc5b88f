import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverScenarios, selectScenarios } from '../../emulator/harness/discover.ts';

const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));

describe('discoverScenarios', () => {
  it('loads <pattern>/scenario.ts in folder order and skips folders without one', async () => {
    const all = await discoverScenarios(fixtures('scenarios'));
    expect(all.map((s) => `${s.pattern}/${s.name}`)).toEqual(['demo/demo-pass', 'demo/demo-fail', 'demo/demo-offline-only', 'other/other-pass']);
  });

  it('loads the bundled scenarios', async () => {
    const all = await discoverScenarios();
    expect(all.map((s) => s.name)).toEqual([
      'appsync-chat',
      'appsync-ask-lambda',
      'appsync-ask-bedrock-datasource',
      'appsync-execution-timeout',
      'appsync-bedrock-datasource-timeout',
      'appsync-unauthorized-subscription',
      'appsync-subscription-limit',
      'appsync-events-pubsub',
      'appsync-missed-keepalive',
      'websocket-chat',
      'websocket-unknown-action',
      'websocket-integration-timeout',
      'websocket-message-too-large',
      'websocket-post-to-gone',
      'websocket-idle-timeout',
      'websocket-keep-alive',
      'websocket-max-duration',
      'function-url-stream',
      'rest-stream',
      'stream-client-disconnect',
      'function-url-buffered-too-large',
      'function-url-bandwidth-cap',
      'rest-stream-past-15-minutes',
      'stream-side-by-side',
      'rest-happy-path',
      'http-happy-path',
      'rest-integration-timeout',
      'http-integration-timeout',
      'lambda-timeout-before-gateway',
      'malformed-response',
      'throttling',
      'authorizer-deny',
      'bedrock-throttled',
      'bedrock-slower-than-gateway',
      'bedrock-guardrail',
      'bedrock-prompt-caching',
    ]);
    expect(new Set(all.map((s) => s.pattern))).toEqual(new Set(['async-appsync', 'async-websocket', 'response-streaming', 'sync-request-response']));
  });

  it('rejects a default export that is not an array of scenarios, naming the file', async () => {
    await expect(discoverScenarios(fixtures('bad-export'))).rejects.toThrow(/^Failed to load ".*bad-export\/broken\/scenario\.ts": its default export is not an array of defineScenario\(\.\.\.\) results\./);
  });

  it('rejects a name used twice, naming both files', async () => {
    await expect(discoverScenarios(fixtures('duplicates'))).rejects.toThrow(/^Failed to load ".*duplicates\/b\/scenario\.ts": scenario name "same-name" is already used in ".*duplicates\/a\/scenario\.ts"\./);
  });

  it('reports a folder it cannot read', async () => {
    await expect(discoverScenarios(fixtures('missing'))).rejects.toThrow(/^Failed to list scenarios in ".*missing\/": ENOENT/);
  });
});

describe('selectScenarios', () => {
  it('selects by name or pattern, in discovery order; none means all', async () => {
    const all = await discoverScenarios(fixtures('scenarios'));
    expect(selectScenarios(all, []).length).toBe(4);
    expect(selectScenarios(all, ['other-pass', 'demo-pass']).map((s) => s.name)).toEqual(['demo-pass', 'other-pass']);
    expect(selectScenarios(all, ['demo']).map((s) => s.name)).toEqual(['demo-pass', 'demo-fail', 'demo-offline-only']);
  });

  it('an unknown name lists what exists', async () => {
    const all = await discoverScenarios(fixtures('scenarios'));
    expect(() => selectScenarios(all, ['demo-pass', 'nope', 'nada'])).toThrow(
      'Failed to select scenarios: no scenario or pattern named "nope", "nada". Available scenarios: demo-pass, demo-fail, demo-offline-only, other-pass; patterns: demo, other.',
    );
  });
});
