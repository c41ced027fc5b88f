import { AwsHttpError } from '../../core/errors.ts';

/**
 * The Invoke API's own faults: Lambda refused the call and the handler never ran. Bodies are the JSON
 * Lambda's front end returns (`Type` + lowercase `message`), with the type again in `x-amzn-ErrorType`.
 * See ../shared/aws/apigateway-lambda-alb-lex.md §5.3-5.4.
 */

function lambdaError(errorType: string, status: number, fields: Record<string, string>): [string, number, string, Array<[string, string]>] {
  return [errorType, status, JSON.stringify(fields), [['x-amzn-ErrorType', errorType]]];
}

/** Why Lambda throttled: reserved concurrency of the function, or the account's unreserved pool. */
export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

export class TooManyRequestsException extends AwsHttpError {
  constructor(readonly reason: ThrottleReason) {
    super(...lambdaError('TooManyRequestsException', 429, { Reason: reason, Type: 'User', message: 'Rate Exceeded.' }));
  }
}

export class RequestTooLargeException extends AwsHttpError {
  constructor(limitBytes: number) {
    super(
      ...lambdaError('RequestTooLargeException', 413, {
        Type: 'User',
        message: `Request must be smaller than ${limitBytes} bytes for the InvokeFunction operation`,
      }),
    );
  }
}

export class ResourceNotFoundException extends AwsHttpError {
  constructor(functionArn: string) {
    super(...lambdaError('ResourceNotFoundException', 404, { Type: 'User', message: `Function not found: ${functionArn}` }));
  }
}

/** The event is not JSON (Invoke's payload must be). */
export class InvalidRequestContentException extends AwsHttpError {
  constructor(cause: string) {
    super(...lambdaError('InvalidRequestContentException', 400, { Type: 'User', message: `Could not parse request body into json: ${cause}` }));
  }
}
