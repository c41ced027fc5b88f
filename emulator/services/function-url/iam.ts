import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../../core/clock.ts';
import type { HttpRequest } from '../../core/http.ts';
import { stableId } from '../../core/ids.ts';
import { queryPairs } from '../apigw-http/request.ts';
import { NodeSha256 } from '../bedrock/upstream/sign.ts';
import type { IamCaller } from './event.ts';
import type { FunctionUrlOptions } from './options.ts';

/** The AWS documentation's example key pair: accepted when no `credentials` are configured. */
const EXAMPLE_CREDENTIALS = [{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }];

/** SigV4's documented 15 minutes of clock skew (IAM reference_sigv-troubleshooting), on the emulated clock. */
const SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

export type IamVerdict = { ok: true; caller: IamCaller } | { ok: false; reason: string };

/**
 * AWS_IAM for function URLs: the SigV4 signature (service `lambda`) is recomputed with
 * @smithy/signature-v4 over the request as it arrived (the headers the client listed, the path, the
 * query, the body's hash) and compared, as AppSync's AWS_IAM mode does (appsync/auth/iam.ts). The access
 * key must be a configured one and `x-amz-date` within 15 minutes. IAM policies are not evaluated.
 */
export class IamVerifier {
  private readonly secrets: Map<string, string>;

  constructor(
    credentials: FunctionUrlOptions['credentials'],
    private readonly accountId: string,
    private readonly clock: Clock,
  ) {
    this.secrets = new Map((credentials ?? EXAMPLE_CREDENTIALS).map((c) => [c.accessKeyId, c.secretAccessKey]));
  }

  async verify(request: HttpRequest): Promise<IamVerdict> {
    const headers = lowerHeaders(request.rawHeaders);
    const parsed = AUTHORIZATION.exec(headers.authorization ?? '');
    if (!parsed) return { ok: false, reason: 'no SigV4 Authorization header' };
    const [, accessKeyId, , region, service, signedList, signature] = parsed as unknown as [string, string, string, string, string, string, string];
    const secretAccessKey = this.secrets.get(accessKeyId);
    if (secretAccessKey === undefined) return { ok: false, reason: `unknown access key ${accessKeyId}` };
    if (service !== 'lambda') return { ok: false, reason: `signed for service ${service}, not lambda` };
    const date = parseAmzDate(headers['x-amz-date']);
    if (date === undefined) return { ok: false, reason: 'no usable x-amz-date' };
    if (Math.abs(this.clock.now() - date.getTime()) > SKEW_MS) return { ok: false, reason: 'x-amz-date is more than 15 minutes from now' };
    const names = signedList.split(';');
    const sessionToken = headers['x-amz-security-token'];
    // The signer adds x-amz-date and the session token itself; every other signed header goes in as sent.
    const toSign: Record<string, string> = {};
    for (const name of names) if (name !== 'x-amz-date' && name !== 'x-amz-security-token' && headers[name] !== undefined) toSign[name] = headers[name];
    // The signer trusts a payload hash header as given; the body's own hash goes there, so a changed body fails.
    if ('x-amz-content-sha256' in toSign) toSign['x-amz-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
    const q = request.rawUrl.indexOf('?');
    const path = q === -1 ? request.rawUrl : request.rawUrl.slice(0, q);
    const signer = new SignatureV4({ service, region, credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }, sha256: NodeSha256, uriEscapePath: true, applyChecksum: false });
    const result = await signer.sign(
      { method: request.method, protocol: 'https:', hostname: headers.host ?? '', path: decodePath(path), query: queryOf(q === -1 ? '' : request.rawUrl.slice(q + 1)), headers: toSign, body: request.body },
      { signingDate: date, signableHeaders: new Set(names) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(result.headers.authorization ?? result.headers.Authorization ?? ''))?.[1];
    if (expected !== signature) return { ok: false, reason: 'the signature does not match' };
    // An IAM user's unique id is AIDA plus 17 characters; ours is derived from the key so it is stable.
    const userId = `AIDA${stableId(accessKeyId, 17).toUpperCase()}`;
    return {
      ok: true,
      caller: { accessKey: accessKeyId, accountId: this.accountId, callerId: userId, cognitoIdentity: null, principalOrgId: null, userArn: `arn:aws:iam::${this.accountId}:user/${accessKeyId}`, userId },
    };
  }
}

function lowerHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    out[name] = out[name] === undefined ? raw[i + 1]! : `${out[name]},${raw[i + 1]!}`;
  }
  return out;
}

/** The signer escapes the path itself (uriEscapePath), so it gets the path the client encoded, decoded. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Decoded pairs; a repeated key becomes a list, which the signer sorts and encodes as the client's did. */
function queryOf(rawQuery: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of queryPairs(rawQuery)) {
    const seen = out[key];
    out[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return out;
}

/** `20200401T001010Z` as a Date. */
function parseAmzDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}
