import { AwsHttpError } from '../../core/errors.ts';

/**
 * What API Gateway's WebSocket side answers itself: the `@connections` management API's exceptions
 * (REST-JSON; `x-amzn-ErrorType` names the exception, so the unmodified
 * `@aws-sdk/client-apigatewaymanagementapi` raises the typed class), the handshake refusals, and the
 * error frames a connected client receives (reference §4.3, §4.8, §4.10).
 */

function managementError(type: string, status: number, message: string): [string, number, string, Array<[string, string]>] {
  return [type, status, JSON.stringify({ message }), [['x-amzn-ErrorType', type]]];
}

/** 410: the connection is closed, not yet established (inside `$connect`), or unknown (reference §9 #9). */
export class GoneException extends AwsHttpError {
  constructor(reason?: string) {
    super(...managementError('GoneException', 410, 'GoneException'), reason);
  }
}

/** 413: PostToConnection `Data` over 128 KB. */
export class PayloadTooLargeException extends AwsHttpError {
  constructor(reason?: string) {
    super(...managementError('PayloadTooLargeException', 413, 'Request entity too large'), reason);
  }
}

/** 403: a stage or path this API does not serve. The emulator signs nothing, so it never refuses a caller. */
export class ForbiddenException extends AwsHttpError {
  constructor(reason?: string) {
    super(...managementError('ForbiddenException', 403, 'Forbidden'), reason);
  }
}

/** 429: too many requests (the account throttle). */
export class LimitExceededException extends AwsHttpError {
  constructor(reason?: string) {
    super(...managementError('LimitExceededException', 429, 'Too Many Requests'), reason);
  }
}

/**
 * Handshake refusals: the upgrade gets this HTTP response and no WebSocket. Bodies follow API
 * Gateway's `{"message":"..."}` template; wscat shows only the status, and no capture pins the body.
 */
export class HandshakeRefused extends AwsHttpError {
  static unauthorized(reason?: string): HandshakeRefused {
    return new HandshakeRefused('Unauthorized', 401, '{"message":"Unauthorized"}', reason);
  }
  static forbidden(reason?: string): HandshakeRefused {
    return new HandshakeRefused('Forbidden', 403, '{"message":"Forbidden"}', reason);
  }
  static tooManyRequests(reason?: string): HandshakeRefused {
    return new HandshakeRefused('TooManyRequests', 429, '{"message":"Too Many Requests"}', reason);
  }
  static internalError(reason?: string): HandshakeRefused {
    return new HandshakeRefused('InternalServerError', 500, '{"message": "Internal server error"}', reason);
  }
  /** The `$connect` integration failed (threw, or Lambda refused the invoke): 502 [O]. */
  static badGateway(reason?: string): HandshakeRefused {
    return new HandshakeRefused('BadGateway', 502, '{"message": "Internal server error"}', reason);
  }
  /** The `$connect` integration took longer than its timeout: 504, our choice (AWS documents nothing). */
  static timeout(reason?: string): HandshakeRefused {
    return new HandshakeRefused('GatewayTimeout', 504, '{"message": "Endpoint request timed out"}', reason);
  }
  /** `$connect` returned a non-2xx `statusCode`: that status, with an empty body (our choice). */
  static status(status: number): HandshakeRefused {
    return new HandshakeRefused('ConnectRejected', status, '', `$connect returned ${status}`);
  }

  private constructor(errorType: string, status: number, body: string, reason?: string) {
    super(errorType, status, body, [], reason);
  }
}

/** The frames a connected client receives when API Gateway answers a message itself; the connection stays open. */
export type FrameError = 'Forbidden' | 'Internal server error' | 'Endpoint request timed out';

/**
 * `{"message": "<m>", "connectionId":"<id>", "requestId":"<id>"}`: a space after the first colon only,
 * byte for byte as captured (reference §4.3); the timeout frame takes the same shape (§9 #7).
 */
export function errorFrame(message: FrameError, connectionId: string, requestId: string): string {
  return `{"message": "${message}", "connectionId":"${connectionId}", "requestId":"${requestId}"}`;
}
