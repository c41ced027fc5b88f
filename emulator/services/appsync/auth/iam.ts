import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../../../core/clock.ts';
import { NodeSha256 } from '../../bedrock/upstream/sign.ts';
import { fail, NOT_AUTHORIZED, principal, type AuthResult } from './identity.ts';
import type { AuthModeOptions } from './options.ts';

type IamOptions = Extract<AuthModeOptions, { type: 'AWS_IAM' }>;

/** The AWS documentation's example key pair: accepted when no `credentials` are configured. */
const EXAMPLE_CREDENTIALS = [{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }];

/**
 * How far `x-amz-date` may be from "now" on the emulated clock: SigV4's documented 15 minutes
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html). Kept here,
 * not in core/limits.ts, because it is a property of the signature scheme, not an AppSync quota.
 */
const SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

/** The request as it was signed: HTTP POST /graphql, or the synthetic POSTs of the real-time protocol (reference §2.2). */
export interface SignedRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body: string | Buffer;
}

/**
 * AppSync's AWS_IAM mode: the SigV4 signature (service `appsync`) is recomputed with
 * @smithy/signature-v4 over the headers the client listed as signed and compared; the access key must
 * be a configured one and `x-amz-date` within 15 minutes of the emulated clock. IAM policies are not
 * evaluated: a valid signature reaches every field its directives allow to AWS_IAM.
 */
export class IamMode {
  private readonly secrets: Map<string, string>;

  constructor(
    options: IamOptions,
    private readonly accountId: string,
    private readonly clock: Clock,
  ) {
    this.secrets = new Map((options.credentials ?? EXAMPLE_CREDENTIALS).map((c) => [c.accessKeyId, c.secretAccessKey]));
  }

  async authorize(headers: Record<string, string>, signed: SignedRequest, sourceIp: string): Promise<AuthResult> {
    const parsed = AUTHORIZATION.exec(headers.authorization ?? '');
    if (!parsed) return fail(NOT_AUTHORIZED, 'AWS_IAM: the Authorization header is not a SigV4 one');
    const [, accessKeyId, , region, service, signedList, signature] = parsed as unknown as [string, string, string, string, string, string, string];
    const secretAccessKey = this.secrets.get(accessKeyId);
    if (secretAccessKey === undefined) return fail(NOT_AUTHORIZED, `AWS_IAM: unknown access key ${accessKeyId}`);
    if (service !== 'appsync') return fail(NOT_AUTHORIZED, `AWS_IAM: signed for service ${service}, not appsync`);
    const date = parseAmzDate(headers['x-amz-date']);
    if (date === undefined) return fail(NOT_AUTHORIZED, 'AWS_IAM: no usable x-amz-date');
    if (Math.abs(this.clock.now() - date.getTime()) > SKEW_MS) return fail(NOT_AUTHORIZED, 'AWS_IAM: x-amz-date is more than 15 minutes from now');
    const names = signedList.split(';');
    const sessionToken = headers['x-amz-security-token'];
    // The signer adds x-amz-date and the session token itself; every other signed header goes in as sent.
    const toSign: Record<string, string> = {};
    for (const name of names) if (name !== 'x-amz-date' && name !== 'x-amz-security-token' && headers[name] !== undefined) toSign[name] = headers[name];
    // The signer trusts a payload hash header as given; the body's own hash goes there instead, so a changed body fails.
    if ('x-amz-content-sha256' in toSign) toSign['x-amz-content-sha256'] = createHash('sha256').update(signed.body).digest('hex');
    const signer = new SignatureV4({ service, region, credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }, sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
    const result = await signer.sign(
      { method: signed.method, protocol: 'https:', hostname: headers.host ?? '', path: signed.path, query: signed.query ?? {}, headers: toSign, body: signed.body },
      { signingDate: date, signableHeaders: new Set(names) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(result.headers.authorization ?? result.headers.Authorization ?? ''))?.[1];
    if (expected !== signature) return fail(NOT_AUTHORIZED, 'AWS_IAM: the signature does not match');
    return principal('AWS_IAM', {
      accountId: this.accountId,
      cognitoIdentityAuthProvider: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      sourceIp: [sourceIp],
      userArn: `arn:aws:iam::${this.accountId}:user/${accessKeyId}`,
      username: accessKeyId,
    });
  }
}

/** `20200401T001010Z` as a Date. */
function parseAmzDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}
