import { strict } from './strict.ts';

/**
 * The emulator's `@aws-appsync/utils/ai`: `converse(...)` and `invokeModel(...)` build the
 * AMAZON_BEDROCK_RUNTIME request objects (reference §1.9;
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-bedrock-js.html).
 */
export function createAi(): object {
  return strict('@aws-appsync/utils/ai', {
    converse: (input: Record<string, unknown>) => ({ operation: 'Converse', ...input }),
    invokeModel: (input: Record<string, unknown>) => ({ operation: 'InvokeModel', ...input }),
  });
}
