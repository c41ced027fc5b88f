import { dirname } from 'node:path';
import type { FunctionOptions } from './options.ts';
import { FUNCTION_VERSION, logGroupName } from './names.ts';

/**
 * The process environment of one execution environment: what Lambda's Node.js runtime sets, plus the
 * function's own variables. The worker gets exactly this (never the emulator's own process.env), so
 * an AWS SDK client built with no arguments resolves region and credentials as it does on Lambda.
 * [D] https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
 */

/**
 * Keys Lambda sets itself and refuses in a function's configuration (CreateFunction fails with
 * InvalidParameterValueException). The emulator cannot fail a deploy, so it keeps Lambda's value
 * and warns instead.
 */
export const RESERVED_ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'TZ',
]);

/**
 * Stand-ins for the execution role's temporary credentials. Obviously fake, so a request that leaks to
 * real AWS fails on signature instead of acting on an account.
 */
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'ASIAGENAIOFFLINELOCAL',
  secretAccessKey: 'genai-offline-local-secret-access-key',
  sessionToken: 'genai-offline-local-session-token',
} as const;

export const EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';

export interface EnvironmentInput {
  functionName: string;
  config: FunctionOptions;
  region: string;
  taskRoot: string;
  /** Where the emulator's worker code lives: Lambda's `/var/runtime`. */
  runtimeDir: string;
  logStreamName: string;
  /** Variables the emulator adds to every function (e.g. endpoint overrides), below the function's own. */
  shared?: Readonly<Record<string, string>>;
  /** The value of an `{endpoint}` reference; undefined while that endpoint is not served (the variable is left out). */
  resolveEndpoint?: (path: string) => string | undefined;
}

/** The reserved keys a function's configuration tries to set (each is ignored). */
export function reservedKeysIn(environment: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(environment).filter((key) => RESERVED_ENVIRONMENT_KEYS.has(key));
}

export function lambdaEnvironment(input: EnvironmentInput): Record<string, string> {
  const { functionName, config, region, taskRoot } = input;
  const own: Record<string, string> = {};
  for (const source of [input.shared ?? {}, config.environment]) {
    for (const [key, value] of Object.entries(source)) {
      if (RESERVED_ENVIRONMENT_KEYS.has(key)) continue;
      const resolved = typeof value === 'string' ? value : input.resolveEndpoint?.(value.endpoint);
      if (resolved !== undefined) own[key] = resolved;
    }
  }
  return {
    // Unreserved: Lambda sets them but a function may replace them.
    // PATH: Lambda's, with /var/lang/bin (where node lives) replaced by this node's folder.
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin/:/bin:/opt/bin`,
    LANG: 'en_US.UTF-8',
    // Lambda's NODE_PATH ends in /var/runtime:/var/task. The SDK that Lambda serves from
    // /var/runtime/node_modules is served by the worker's resolve fallback instead (see worker/sdk-fallback.ts).
    NODE_PATH: `${input.runtimeDir}:${taskRoot}`,
    // Not set by Lambda (SAM local sets it); kept because tools written against the emulator read it.
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(config.timeout),
    ...own,
    // Reserved: always Lambda's values.
    _HANDLER: config.handler,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: EXECUTION_ENV,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: FUNCTION_VERSION,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(functionName),
    AWS_LAMBDA_LOG_STREAM_NAME: input.logStreamName,
    AWS_ACCESS_KEY: LOCAL_CREDENTIALS.accessKeyId,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: LOCAL_CREDENTIALS.sessionToken,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: input.runtimeDir,
    // Informational only: a worker thread shares the emulator process's time zone (see README).
    TZ: ':UTC',
  };
}
