import { bedrockGuardrail, bedrockPromptCaching, bedrockSlowerThanGateway, bedrockThrottled } from './bedrock.ts';
import { authorizerDeny, malformedResponse, throttling } from './gateway-errors.ts';
import { httpHappyPath, restHappyPath } from './happy-path.ts';
import { httpIntegrationTimeout, lambdaTimeoutBeforeGateway, restIntegrationTimeout } from './timeouts.ts';

/**
 * The synchronous request/response pattern: a client waits on one HTTP request while API Gateway waits
 * on Lambda. Every assertion is about what the client sees, so the same list runs offline and against
 * a deployment (see README.md).
 */
export default [
  restHappyPath,
  httpHappyPath,
  restIntegrationTimeout,
  httpIntegrationTimeout,
  lambdaTimeoutBeforeGateway,
  malformedResponse,
  throttling,
  authorizerDeny,
  bedrockThrottled,
  bedrockSlowerThanGateway,
  bedrockGuardrail,
  bedrockPromptCaching,
];
