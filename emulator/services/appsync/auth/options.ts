import { z } from 'zod';

/**
 * The `auth` list of an AppSync API: the first mode is the API's default, the others are its
 * additional modes (security-authz.html). Cognito and OIDC tokens are checked against the emulator's
 * local issuer (core/local-issuer.ts): its JWKS, and its `iss` unless an issuer is named.
 */
/** A regular expression, checked when the config is read rather than when the first request arrives. */
const regexSchema = z.string().min(1).refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const apiKeyAuthSchema = z.strictObject({
  type: z.literal('API_KEY'),
  /** Default: a stable `da2-` key derived from the API's name (the endpoints file lists it). */
  apiKey: z.string().min(1).optional(),
});

const cognitoAuthSchema = z.strictObject({
  type: z.literal('AMAZON_COGNITO_USER_POOLS'),
  /** Tokens must carry `iss` = `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`; default: the local issuer's URL. */
  userPoolId: z.string().min(1).optional(),
  /** A regular expression the token's `client_id` (access token) or `aud` (ID token) must match. */
  appIdClientRegex: regexSchema.optional(),
});

const oidcAuthSchema = z.strictObject({
  type: z.literal('OPENID_CONNECT'),
  /** The `iss` tokens must carry; default: the local issuer's URL. */
  issuer: z.string().min(1).optional(),
  /** When set, the token's `aud` (or `client_id`) must equal it. */
  clientId: z.string().min(1).optional(),
  /** Milliseconds a token stays valid after `iat` (AppSync's `iatTTL`; 0 or absent: no check). */
  iatTTL: z.number().int().min(0).optional(),
  /** Milliseconds a token stays valid after `auth_time` (AppSync's `authTTL`; 0 or absent: no check). */
  authTTL: z.number().int().min(0).optional(),
});

const lambdaAuthSchema = z.strictObject({
  type: z.literal('AWS_LAMBDA'),
  /** The authorizer function (a name under `functions`). */
  function: z.string().min(1),
  /** Cache of the function's answer per token, 0-3600 s (LambdaAuthorizerConfig); the function's `ttlOverride` wins. */
  resultTtlInSeconds: z.number().int().min(0).max(3600).default(0),
  /** A token that does not match this regular expression is refused without invoking the function. */
  identityValidationExpression: regexSchema.optional(),
});

const iamAuthSchema = z.strictObject({
  type: z.literal('AWS_IAM'),
  /** The access keys whose SigV4 signatures are accepted; default: the AWS documentation's example key pair. */
  credentials: z.array(z.strictObject({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) })).min(1).optional(),
});

export const authModeSchema = z.discriminatedUnion('type', [apiKeyAuthSchema, cognitoAuthSchema, oidcAuthSchema, lambdaAuthSchema, iamAuthSchema]);

/** "API_KEY, AWS_LAMBDA and AWS_IAM may appear at most once" across the default and the additional modes. */
const ONCE = ['API_KEY', 'AWS_LAMBDA', 'AWS_IAM'] as const;

export const authSchema = z
  .array(authModeSchema)
  .min(1)
  .superRefine((modes, ctx) => {
    for (const type of ONCE) {
      const at = modes.flatMap((m, i) => (m.type === type ? [i] : []));
      if (at.length > 1) ctx.addIssue({ code: 'custom', path: [at[1]!], message: `${type} may appear at most once among the default and additional authorization modes, as on AppSync` });
    }
  })
  .default([{ type: 'API_KEY' }]);

export type AuthModeOptions = z.infer<typeof authModeSchema>;
export type AuthModeType = AuthModeOptions['type'];
