import { InvalidParameterValueException } from './errors.ts';

/**
 * `{FunctionName}` as the Invoke APIs take it: a name, a full ARN or a partial ARN
 * (`123456789012:function:name`), each with an optional `:qualifier`, plus `?Qualifier=`. The SDK
 * percent-encodes the label, so `:` arrives as `%3A`.
 */

export interface FunctionTarget {
  /** The bare function name the runtime knows. */
  name: string;
  /** `$LATEST`, a version or an alias; undefined when none was given. */
  qualifier: string | undefined;
  /** Region and account an ARN named (they must be the emulator's for the function to exist). */
  region: string | undefined;
  accountId: string | undefined;
}

// The API's documented pattern (API_Invoke.html), with groups for the parts.
const FUNCTION_NAME = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d{1}):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9\-_.]+)(?::(\$LATEST|[a-zA-Z0-9\-_]+))?$/;

/** Undefined when the label does not match the pattern at all (Lambda: the function cannot exist). */
export function parseFunctionName(label: string, queryQualifier: string | undefined): FunctionTarget | undefined {
  const match = FUNCTION_NAME.exec(label);
  if (!match) return undefined;
  const [, region, accountId, name, arnQualifier] = match;
  if (arnQualifier !== undefined && queryQualifier !== undefined && arnQualifier !== queryQualifier) {
    throw new InvalidParameterValueException('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { name: name!, qualifier: arnQualifier ?? queryQualifier, region, accountId };
}
