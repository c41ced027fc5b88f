/** The names Lambda derives from a function's name (context object, env vars, errors). */

export function functionArn(region: string, accountId: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** Unpublished functions run as `$LATEST`; the emulator has no versions or aliases. */
export const FUNCTION_VERSION = '$LATEST';
