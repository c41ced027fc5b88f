import { afterAll, describe, expect, it } from 'vitest';
import { ACCOUNT, FIXTURES, REGION, success, testRuntime } from './helpers.ts';

describe('lambda: what a handler sees', () => {
  const { runtime, log } = testRuntime(
    {
      chat: { handler: 'context.handler', memorySize: 512, timeout: 300 },
      env: {
        handler: 'context.env',
        timeout: 300,
        environment: { TABLE: 'items', AWS_REGION: 'mars-1', AWS_ACCESS_KEY_ID: 'AKIAREAL', PATH: '/custom/bin', SHARED: 'own' },
      },
    },
    { sharedEnvironment: { SHARED: 'shared', ENDPOINT: 'http://127.0.0.1:4010' } },
  );
  afterAll(() => runtime.close());

  it('lambda: the context object carries Lambda\'s fields, in Lambda\'s order', async () => {
    const context = success(await runtime.invoke('chat', {}, { requestId: 'ctx-1' })) as Record<string, unknown>;
    expect(context).toMatchObject({
      awsRequestId: 'ctx-1',
      functionName: 'chat',
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:chat`,
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/chat',
      callbackWaitsForEmptyEventLoop: true,
      identity: 'undefined',
      clientContext: 'undefined',
    });
    expect(context.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.keys).toEqual([
      'callbackWaitsForEmptyEventLoop', 'succeed', 'fail', 'done', 'functionVersion', 'functionName', 'memoryLimitInMB',
      'logGroupName', 'logStreamName', 'clientContext', 'identity', 'invokedFunctionArn', 'awsRequestId', 'getRemainingTimeInMillis',
    ]);
  });

  it('lambda: getRemainingTimeInMillis counts down from the function timeout in emulated time', async () => {
    const { remaining } = success(await runtime.invoke('chat', {})) as { remaining: number };
    expect(remaining).toBeLessThanOrEqual(300_000);
    expect(remaining).toBeGreaterThan(250_000);
  });

  it('lambda: the awslambda global exists when the handler module loads', async () => {
    expect(success(await runtime.invoke('chat', {}))).toMatchObject({ awslambdaAtLoad: 'object', streamifyAtLoad: 'function' });
  });

  it('lambda: the process environment is Lambda\'s plus the function\'s own, and nothing of the host\'s', async () => {
    const env = success(await runtime.invoke('env', {})) as Record<string, string>;
    const logStream = env.AWS_LAMBDA_LOG_STREAM_NAME;
    expect(env).toEqual({
      PATH: '/custom/bin',
      LANG: 'en_US.UTF-8',
      NODE_PATH: expect.stringMatching(new RegExp(`/emulator/services/lambda-runtime/worker:${FIXTURES}$`)),
      AWS_LAMBDA_FUNCTION_TIMEOUT: '300',
      TABLE: 'items',
      SHARED: 'own',
      ENDPOINT: 'http://127.0.0.1:4010',
      _HANDLER: 'context.env',
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      AWS_LAMBDA_FUNCTION_NAME: 'env',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env',
      AWS_LAMBDA_LOG_STREAM_NAME: logStream,
      AWS_ACCESS_KEY: 'ASIAGENAIOFFLINELOCAL',
      AWS_ACCESS_KEY_ID: 'ASIAGENAIOFFLINELOCAL',
      AWS_SECRET_ACCESS_KEY: 'genai-offline-local-secret-access-key',
      AWS_SESSION_TOKEN: 'genai-offline-local-session-token',
      LAMBDA_TASK_ROOT: FIXTURES,
      LAMBDA_RUNTIME_DIR: expect.stringMatching(/\/emulator\/services\/lambda-runtime\/worker$/),
      TZ: ':UTC',
    });
    expect(logStream).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('lambda: reserved keys in a function\'s environment are ignored with a warning', () => {
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([
      { level: 'warn', message: "Failed to set AWS_REGION for function env: Lambda reserves this variable and sets it itself. Remove it from the function's environment." },
      { level: 'warn', message: "Failed to set AWS_ACCESS_KEY_ID for function env: Lambda reserves this variable and sets it itself. Remove it from the function's environment." },
    ]);
  });
});
