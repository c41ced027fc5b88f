import { randomBytes } from '../../core/ids.ts';

/**
 * An HTTP API request id, as `apigw-requestid` and `requestContext.requestId` carry it: 11 random bytes
 * in URL-safe base64 plus `=`, 16 characters (captured: `Mc7UVioPPHcEKPA=`, `LV7fzho-PHcEJPw=`).
 * HTTP APIs use this one id where REST APIs have a UUID and a separate extended id.
 */
export function httpApiRequestId(): string {
  return `${randomBytes(11).toString('base64url')}=`;
}
