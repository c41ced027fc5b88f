import { SignatureV4 } from '@smithy/signature-v4';
import { ManualClock } from '../../../emulator/core/clock.ts';
import type { LocalIssuerClaims } from '../../../emulator/core/local-issuer.ts';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import { NodeSha256 } from '../../../emulator/services/bedrock/upstream/sign.ts';
import { FIXTURES, post, type RawResponse } from './support.ts';

export const API_KEY = 'da2-authtestkey00000000000000';
export const USER_POOL_ID = 'us-east-1_Test';
export const COGNITO_ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${USER_POOL_ID}`;
export const IAM = { accessKeyId: 'AKIDAUTHTEST', secretAccessKey: 'auth-test-secret' };
export const HOST = 'example1234567890000.appsync-api.us-east-1.amazonaws.com';

export const UNAUTHORIZED_BODY = (message: string): string => `{\n  "errors" : [ {\n    "errorType" : "UnauthorizedException",\n    "message" : "${message}"\n  } ]\n}`;

const fn = (name: string) => ({ handler: `appsync/auth/handlers.${name}` });
const fields = ['defaultOnly', 'keyOnly', 'cognitoOnly', 'adminsOnly', 'oidcOnly', 'lambdaOnly', 'iamOnly'];

export interface AuthTestApi {
  emulator: RunningEmulator;
  clock: ManualClock;
  /** POST /graphql of the multi-auth API (API_KEY default, then Cognito, OIDC, Lambda, IAM). */
  url: string;
  /** POST /graphql of the Cognito-only API. */
  cognitoUrl: string;
  realtimeUrl: string;
  /** The Events API on the multi-auth API (same modes, no directives). */
  eventsUrl: string;
  eventsRealtimeUrl: string;
  gql(query: string, headers: Record<string, string>, url?: string): Promise<RawResponse>;
  /** A token as the Cognito user pool would sign it (an access token of client `web-client`). */
  cognitoToken(claims?: LocalIssuerClaims): Promise<string>;
  /** A token of the OIDC provider (the local issuer itself), for client `oidc-client`. */
  oidcToken(claims?: LocalIssuerClaims): Promise<string>;
  /** SigV4 headers (service appsync) for POST `path` with `body`, signed now on the emulator's clock. */
  iamHeaders(host: string, path: string, body: string, credentials?: typeof IAM): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** The multi-auth fixture API on real ports and real Lambda workers; time moves only when a test advances it. */
export async function startAuthApi(): Promise<AuthTestApi> {
  const clock = new ManualClock();
  const resolvers = {
    ...Object.fromEntries(fields.map((f) => [`Query.${f}`, { function: 'field' }])),
    'Query.whoami': { function: 'whoami' },
    'Query.post': { function: 'post' },
    'Mutation.addPost': { dataSource: 'NONE' as const },
  };
  const emulator = await startEmulator(
    {
      functions: { field: fn('field'), whoami: fn('whoami'), post: fn('post'), authorizer: fn('authorizer') },
      bedrock: { enabled: false },
      appsyncApis: {
        multi: {
          schema: 'appsync/auth/auth.graphql',
          auth: [
            { type: 'API_KEY', apiKey: API_KEY },
            { type: 'AMAZON_COGNITO_USER_POOLS', userPoolId: USER_POOL_ID, appIdClientRegex: 'web-client' },
            { type: 'OPENID_CONNECT', clientId: 'oidc-client' },
            { type: 'AWS_LAMBDA', function: 'authorizer', resultTtlInSeconds: 60 },
            { type: 'AWS_IAM', credentials: [IAM] },
          ],
          resolvers,
          events: { namespaces: { default: {} } },
        },
        cognito: { schema: 'appsync/auth/auth.graphql', auth: [{ type: 'AMAZON_COGNITO_USER_POOLS' }], resolvers },
      },
    },
    { port: 0, clock, log: silentLog, baseDir: FIXTURES },
  );
  const endpoints = emulator.endpoints.appsyncApis!;
  const { graphqlUrl: url, realtimeUrl, eventsUrl, eventsRealtimeUrl } = endpoints.multi! as { graphqlUrl: string; realtimeUrl: string; eventsUrl: string; eventsRealtimeUrl: string };
  const cognitoUrl = (endpoints.cognito! as { graphqlUrl: string }).graphqlUrl;
  return {
    emulator,
    clock,
    url,
    cognitoUrl,
    realtimeUrl,
    eventsUrl,
    eventsRealtimeUrl,
    gql: (query, headers, target = url) => post(target, JSON.stringify({ query, variables: null }), { 'content-type': 'application/json', ...headers }),
    cognitoToken: (claims = {}) => emulator.issuer.sign({ iss: COGNITO_ISSUER, client_id: 'web-client', token_use: 'access', sub: 'user-1', 'cognito:username': 'ada', 'cognito:groups': ['users'], ...claims }),
    oidcToken: (claims = {}) => emulator.issuer.sign({ aud: 'oidc-client', sub: 'oidc-user', ...claims }),
    async iamHeaders(host, path, body, credentials = IAM) {
      const signer = new SignatureV4({ service: 'appsync', region: 'us-east-1', credentials, sha256: NodeSha256 });
      const signed = await signer.sign({ method: 'POST', protocol: 'https:', hostname: host, path, query: {}, headers: { host, 'content-type': 'application/json' }, body }, { signingDate: new Date(clock.now()) });
      return signed.headers;
    },
    close: () => emulator.close(),
  };
}

/** The `errors` entry AppSync gives a field the request's mode may not read. */
export function unauthorizedField(field: string, type: string, path: Array<string | number>, line: number, column: number): Record<string, unknown> {
  return { path, data: null, errorType: 'Unauthorized', errorInfo: null, locations: [{ line, column, sourceName: null }], message: `Not Authorized to access ${field} on type ${type}` };
}
