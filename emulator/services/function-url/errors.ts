import { AwsHttpError } from '../../core/errors.ts';

/**
 * What a function URL's client sees when Lambda answers instead of the function (reference §6.3 and
 * §9 #18: these bodies are observations, not documentation). `errorType` names the trace entry.
 */

/**
 * 502: the function failed (unhandled error, timeout, response over 6 MB) or returned something the 2.0
 * mapping refuses. [O] the body is the bare text `Internal Server Error` (21 bytes), as the reference
 * and public reports show it (awslabs/aws-lambda-cpp#200, awsdocs/aws-lambda-developer-guide#430).
 * The content type is not in those reports; we keep the `application/json` every Lambda error carries.
 */
export class FunctionUrlInternalServerError extends AwsHttpError {
  constructor(reason?: string) {
    super('InternalServerError', 502, 'Internal Server Error', [], reason);
  }
}

/** 429: Lambda throttled the invoke (concurrency). [O] `{"message":"Rate Exceeded."}`, status assumed (§6.3). */
export class FunctionUrlThrottled extends AwsHttpError {
  constructor(reason?: string) {
    super('ThrottlingException', 429, '{"message":"Rate Exceeded."}', [['x-amzn-ErrorType', 'ThrottlingException']], reason);
  }
}

/**
 * 403: AWS_IAM and the request is unsigned or its signature does not match. [O] `{"Message":"Forbidden"}`
 * with `x-amzn-ErrorType: AccessDeniedException`, as function URLs answer an unsigned request.
 */
export class FunctionUrlForbidden extends AwsHttpError {
  constructor(reason?: string) {
    super('AccessDeniedException', 403, '{"Message":"Forbidden"}', [['x-amzn-ErrorType', 'AccessDeniedException']], reason);
  }
}
