import { websocketChat, websocketUnknownAction } from './chat.ts';
import { websocketIdleTimeout, websocketKeepAlive, websocketMaxDuration } from './lifetime.ts';
import { websocketMessageTooLarge, websocketPostToGone } from './limits.ts';
import { websocketIntegrationTimeout } from './timeouts.ts';

/**
 * The asynchronous chat pattern: a client keeps a WebSocket open to API Gateway, sends a prompt, and
 * the Lambda behind the route streams the model's answer back through the @connections API, frame by
 * frame, for as long as it takes. Assertions are about what the client sees, except where a scenario
 * says it is offline only (see README.md).
 */
export default [
  websocketChat,
  websocketUnknownAction,
  websocketIntegrationTimeout,
  websocketMessageTooLarge,
  websocketPostToGone,
  websocketIdleTimeout,
  websocketKeepAlive,
  websocketMaxDuration,
];
