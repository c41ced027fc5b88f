import { describe, expect, it } from 'vitest';
import { endpointAt, tlsEndpoints, type Endpoints } from '../../emulator/core/endpoints.ts';

const endpoints: Endpoints = {
  restApis: { chat: 'http://127.0.0.1:4010/dev' },
  httpApis: {},
  bedrock: 'http://127.0.0.1:4012',
  websocketApis: { chat: { url: 'ws://127.0.0.1:4013/dev', connectionsUrl: 'http://127.0.0.1:4013/dev/@connections' } },
  appsyncApis: { chat: { graphqlUrl: 'http://127.0.0.1:4014/graphql', realtimeUrl: 'ws://127.0.0.1:4014/graphql/realtime', apiKey: 'da2-x', eventsUrl: 'http://127.0.0.1:4014/event', eventsRealtimeUrl: 'ws://127.0.0.1:4014/event/realtime' } },
};

describe('endpoints', () => {
  it('endpoints: --tls lists the WebSocket and AppSync APIs by their https:// and wss:// URLs, nothing else', () => {
    expect(tlsEndpoints(endpoints)).toEqual({
      ...endpoints,
      websocketApis: { chat: { url: 'wss://127.0.0.1:4013/dev', connectionsUrl: 'https://127.0.0.1:4013/dev/@connections' } },
      appsyncApis: { chat: { graphqlUrl: 'https://127.0.0.1:4014/graphql', realtimeUrl: 'wss://127.0.0.1:4014/graphql/realtime', apiKey: 'da2-x', eventsUrl: 'https://127.0.0.1:4014/event', eventsRealtimeUrl: 'wss://127.0.0.1:4014/event/realtime' } },
    });
  });

  it('endpoints: a dotted path names a string field, or nothing', () => {
    expect(endpointAt(endpoints, 'appsyncApis.chat.apiKey')).toBe('da2-x');
    expect(endpointAt(endpoints, 'restApis.chat')).toBe('http://127.0.0.1:4010/dev');
    expect(endpointAt(endpoints, 'bedrock')).toBe('http://127.0.0.1:4012');
    expect(endpointAt(endpoints, 'appsyncApis.chat')).toBeUndefined();
    expect(endpointAt(endpoints, 'appsyncApis.nope.graphqlUrl')).toBeUndefined();
    expect(endpointAt(endpoints, 'restApis.toString')).toBeUndefined();
  });
});
