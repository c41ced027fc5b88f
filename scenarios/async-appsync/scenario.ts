import { appsyncChat } from './chat.ts';
import { appsyncAskDirect, appsyncAskLambda } from './sync.ts';
import { appsyncBedrockDataSourceTimeout, appsyncExecutionTimeout, appsyncSubscriptionLimit, appsyncUnauthorizedSubscription } from './limits.ts';
import { appsyncEventsPubSub } from './pubsub.ts';
import { appsyncMissedKeepAlive } from './keepalive.ts';

/**
 * The asynchronous pattern over AppSync: a client subscribes over AppSync's real-time WebSocket, a
 * mutation starts the work, and the answer arrives through mutations the subscription listens to.
 * Beside it, the synchronous mutations (through a Lambda resolver and through the Bedrock data
 * source), pub/sub channels on the Events API, and the limits: 30 s per request, 10 s per
 * synchronous Bedrock call, 100 subscriptions per connection, the key checks, and a keep-alive that goes missing.
 */
export default [
  appsyncChat,
  appsyncAskLambda,
  appsyncAskDirect,
  appsyncExecutionTimeout,
  appsyncBedrockDataSourceTimeout,
  appsyncUnauthorizedSubscription,
  appsyncSubscriptionLimit,
  appsyncEventsPubSub,
  appsyncMissedKeepAlive,
];
