import { AwsHttpError } from '../../core/errors.ts';
import type { HttpResponse } from '../../core/http.ts';

/**
 * The REST API's client-visible faults (reference §2.6/§2.7), byte for byte. Two body styles exist on
 * AWS: gateway responses render `{"message":$context.error.messageString}` with no space after the
 * colon; failures the Lambda proxy path reports itself carry a space (`{"message": "..."}`, hence the
 * 36 and 41 byte bodies), and so do request-validation failures (AWS's request-validation-test page
 * and a public curl capture of `{"message": "Invalid request body"}`). The authorizer-deny bodies use
 * a capital `Message` as captured on the wire.
 *
 * Each fault is an immutable singleton (GATEWAY_ERRORS): the bodies never vary, and building an Error
 * per throttled request would cost a stack trace on the hottest failure path.
 */

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'UNAUTHORIZED';

export class RestApiError extends AwsHttpError {
  constructor(
    readonly responseType: GatewayResponseType,
    errorType: string,
    status: number,
    body: string,
  ) {
    super(errorType, status, body);
  }

  /** False when API Gateway's front door answers before a request id exists (no AWS headers at all). */
  get hasRequestHeaders(): boolean {
    return true;
  }
}

export class MissingAuthenticationTokenException extends RestApiError {
  constructor() {
    super('MISSING_AUTHENTICATION_TOKEN', 'MissingAuthenticationTokenException', 403, '{"message":"Missing Authentication Token"}');
  }
}

export class ForbiddenException extends RestApiError {
  constructor() {
    super('INVALID_API_KEY', 'ForbiddenException', 403, '{"message":"Forbidden"}');
  }
}

export class TooManyRequestsException extends RestApiError {
  constructor() {
    super('THROTTLED', 'TooManyRequestsException', 429, '{"message":"Too Many Requests"}');
  }
}

export class LimitExceededException extends RestApiError {
  constructor() {
    super('QUOTA_EXCEEDED', 'LimitExceededException', 429, '{"message":"Limit Exceeded"}');
  }
}

export class UnauthorizedException extends RestApiError {
  constructor() {
    super('UNAUTHORIZED', 'UnauthorizedException', 401, '{"message":"Unauthorized"}');
  }
}

export class AccessDeniedException extends RestApiError {
  constructor(readonly explicit: boolean) {
    const message = explicit ? 'User is not authorized to access this resource with an explicit deny' : 'User is not authorized to access this resource';
    super('ACCESS_DENIED', 'AccessDeniedException', 403, `{"Message":"${message}"}`);
  }
}

/** Authorizer threw something other than "Unauthorized", timed out, or returned a malformed result. */
export class AuthorizerConfigurationException extends RestApiError {
  constructor(type: 'AUTHORIZER_CONFIGURATION_ERROR' | 'AUTHORIZER_FAILURE') {
    super(type, 'AuthorizerConfigurationException', 500, '{"message":null}');
  }
}

export class InternalServerErrorException extends RestApiError {
  constructor(type: 'INTEGRATION_TIMEOUT' | 'INTEGRATION_FAILURE' | 'API_CONFIGURATION_ERROR', status: number, message: string) {
    super(type, 'InternalServerErrorException', status, `{"message": "${message}"}`);
  }
}

/**
 * A request API Gateway refuses before the integration: more than Lambda's 6 MB synchronous payload
 * (413), or failing the method's request validator (400). The message is JSON-escaped because a
 * missing parameter's name comes from the config.
 */
export class BadRequestException extends RestApiError {
  constructor(type: 'REQUEST_TOO_LARGE' | 'BAD_REQUEST_PARAMETERS' | 'BAD_REQUEST_BODY', status: number, message: string) {
    super(type, 'BadRequestException', status, `{"message": ${JSON.stringify(message)}}`);
  }
}

/** Names in AWS's order (request-validation.ts); built per refusal, as the list varies. */
export function missingRequestParameters(names: readonly string[]): BadRequestException {
  return new BadRequestException('BAD_REQUEST_PARAMETERS', 400, `Missing required request parameters: [${names.join(', ')}]`);
}

/**
 * Over the 10 MB payload quota: rejected by the front door as plain text, with neither
 * `x-amzn-RequestId` nor `x-amzn-ErrorType` (public capture, koki-develop/lgtm-generator#10).
 */
export class ContentLengthExceeded extends RestApiError {
  constructor(limitBytes: number) {
    super('REQUEST_TOO_LARGE', 'ContentLengthExceeded', 413, `HTTP content length exceeded ${limitBytes} bytes.`);
  }

  override get hasRequestHeaders(): boolean {
    return false;
  }

  override render(): HttpResponse {
    return { status: this.status, headers: [['content-type', 'text; charset=utf-8']], body: this.body };
  }
}

export const GATEWAY_ERRORS = {
  missingAuthenticationToken: new MissingAuthenticationTokenException(),
  invalidApiKey: new ForbiddenException(),
  throttled: new TooManyRequestsException(),
  quotaExceeded: new LimitExceededException(),
  unauthorized: new UnauthorizedException(),
  explicitDeny: new AccessDeniedException(true),
  implicitDeny: new AccessDeniedException(false),
  authorizerConfiguration: new AuthorizerConfigurationException('AUTHORIZER_CONFIGURATION_ERROR'),
  authorizerFailure: new AuthorizerConfigurationException('AUTHORIZER_FAILURE'),
  integrationTimeout: new InternalServerErrorException('INTEGRATION_TIMEOUT', 504, 'Endpoint request timed out'),
  /** Function error, Lambda timeout, or a malformed proxy response: the proxy path reports 502. */
  integrationFailure: new InternalServerErrorException('INTEGRATION_FAILURE', 502, 'Internal server error'),
  /** Lambda refused the Invoke (throttled, missing permission, unknown function): AWS docs say 500. */
  invokeRejected: new InternalServerErrorException('API_CONFIGURATION_ERROR', 500, 'Internal server error'),
  requestTooLong: new BadRequestException('REQUEST_TOO_LARGE', 413, 'Request Too Long'),
  invalidRequestBody: new BadRequestException('BAD_REQUEST_BODY', 400, 'Invalid request body'),
} as const;
