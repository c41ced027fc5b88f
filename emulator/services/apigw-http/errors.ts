import { AwsHttpError } from '../../core/errors.ts';

/**
 * What an HTTP API (v2) client sees when API Gateway itself answers. Every body is
 * `{"message":"<reason phrase>"}` with no space after the colon, `content-type: application/json`.
 * HTTP APIs send no `x-amzn-ErrorType` (REST's header) and no `x-amzn-RequestId`: only
 * `apigw-requestid`, which the router adds to every response (reference §1.2, §3.4; the captures in
 * cortexlabs/cortex#1225 and sst#2232 show `apigw-requestid` and no error-type header).
 * `errorType` is ours, for the trace and for tests; it never reaches the wire.
 */

/** 500: function error, malformed response, invoke rejected, Lambda's own timeout, authorizer failure. [D] 35 bytes. */
export class InternalServerError extends AwsHttpError {
  constructor(reason?: string) {
    super('InternalServerError', 500, '{"message":"Internal Server Error"}', [], reason);
  }
}

/** 503: the integration did not answer within its timeout (30 s default). [O] 33 bytes (reference §9 #1). */
export class ServiceUnavailable extends AwsHttpError {
  constructor(reason?: string) {
    super('ServiceUnavailable', 503, '{"message":"Service Unavailable"}', [], reason);
  }
}

/** 404: no route matched (and no `$default`), or the path is outside the stage. [D] 23 bytes. */
export class NotFound extends AwsHttpError {
  constructor(reason?: string) {
    super('NotFound', 404, '{"message":"Not Found"}', [], reason);
  }
}

/** 429: a route, stage or account token bucket was empty. [O] 31 bytes; no `Retry-After` (§1.1). */
export class TooManyRequests extends AwsHttpError {
  constructor(reason?: string) {
    super('TooManyRequests', 429, '{"message":"Too Many Requests"}', [], reason);
  }
}

/**
 * 401: missing identity source or a JWT that failed validation. [D] 26 bytes. JWT authorizers add a
 * `www-authenticate` challenge (see `jwtChallenge`); Lambda authorizers do not.
 */
export class Unauthorized extends AwsHttpError {
  constructor(reason?: string, wwwAuthenticate?: string) {
    super('Unauthorized', 401, '{"message":"Unauthorized"}', wwwAuthenticate === undefined ? [] : [['www-authenticate', wwwAuthenticate]], reason);
  }
}

/** 403: a Lambda authorizer denied, or a valid JWT lacks every scope the route requires. [O] 23 bytes. */
export class Forbidden extends AwsHttpError {
  constructor(reason?: string) {
    super('Forbidden', 403, '{"message":"Forbidden"}', [], reason);
  }
}

/**
 * 413: the request body is over the 10 MB payload quota. The body follows the HTTP API template (reason
 * phrase in `message`); no public HTTP API capture confirms it. A REST capture behind CloudFront shows a
 * plain-text `HTTP content length exceeded 10485760 bytes.` instead (koki-develop/lgtm-generator#10),
 * which may come from the edge rather than from API Gateway.
 */
export class RequestEntityTooLarge extends AwsHttpError {
  constructor(reason?: string) {
    super('RequestEntityTooLarge', 413, '{"message":"Request Entity Too Large"}', [], reason);
  }
}

/**
 * Why a JWT was refused. AWS documents one description, for `audience` (http-api-troubleshooting-jwt);
 * `missing` answers a bare `Bearer`, as another emulator reports observing (kensio/yulin's apigatewayv2
 * notes). The other descriptions are ours, in the documented one's style: AWS publishes none, and we
 * found no capture of them (README fidelity table).
 */
export type JwtFailure = 'missing' | 'malformed' | 'algorithm' | 'kid' | 'signature' | 'issuer' | 'audience' | 'expired' | 'not-yet-valid' | 'issued-in-future';

const JWT_DESCRIPTIONS: Record<Exclude<JwtFailure, 'missing'>, string> = {
  malformed: 'the token is malformed',
  algorithm: 'the token signing algorithm is not supported',
  kid: 'the token kid does not match any key of the issuer',
  signature: 'the token signature is invalid',
  issuer: 'the token does not have a valid issuer',
  audience: 'the token does not have a valid audience',
  expired: 'the token has expired',
  'not-yet-valid': 'the token is not valid yet',
  'issued-in-future': 'the token was issued in the future',
};

/** The `www-authenticate` value for a refused JWT, in AWS's documented form. */
export function jwtChallenge(failure: JwtFailure): string {
  if (failure === 'missing') return 'Bearer';
  return `Bearer scope="" error="invalid_token" error_description="${JWT_DESCRIPTIONS[failure]}"`;
}

export function jwtUnauthorized(failure: JwtFailure): Unauthorized {
  return new Unauthorized(`JWT ${failure}`, jwtChallenge(failure));
}
