import { isIP } from 'node:net';
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * AppSync's AWS scalars (reference §1.7, https://docs.aws.amazon.com/appsync/latest/devguide/scalars.html).
 * AppSync runs graphql-java: a bad variable reads "Variable 'x' has an invalid value. Unable to parse
 * `v` as a valid phone number." and a bad output "Unable to serialize `v` as a valid DateTime Object."
 * (both [O], amplify-flutter#822 and amplify-js#5963). The other scalars' nouns follow that pattern;
 * no capture shows them (README fidelity table).
 */
export class AwsScalarError extends Error {
  constructor(
    readonly scalar: string,
    readonly phase: 'parse' | 'serialize',
    readonly appsyncMessage: string,
  ) {
    super(appsyncMessage);
    this.name = 'AwsScalarError';
  }
}

const OFFSET = '(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?)';
const DATE = '\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])';
// Any number of fraction digits: AppSync does not count them (amplify-js#7717).
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?';
const AWS_DATE = new RegExp(`^${DATE}${OFFSET}?$`);
const AWS_TIME = new RegExp(`^${TIME}${OFFSET}?$`);
// The offset is mandatory in an AWSDateTime (scalars page: "YYYY-MM-DDThh:mm:ss.sssZ").
const AWS_DATE_TIME = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const PHONE = /^\+?[\d\s()-]+$/;

interface StringScalarSpec {
  name: string;
  noun: string;
  valid(value: string): boolean;
  description: string;
}

function render(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

function stringScalar(spec: StringScalarSpec): GraphQLScalarType {
  const check = (value: unknown, phase: 'parse' | 'serialize'): string => {
    if (typeof value === 'string' && spec.valid(value)) return value;
    throw new AwsScalarError(spec.name, phase, `Unable to ${phase} \`${render(value)}\` as a valid ${spec.noun}.`);
  };
  return new GraphQLScalarType({
    name: spec.name,
    description: spec.description,
    serialize: (value) => check(value, 'serialize'),
    parseValue: (value) => check(value, 'parse'),
    parseLiteral: (node) => check(literalValue(node), 'parse'),
  });
}

function literalValue(node: ValueNode): unknown {
  if (node.kind === Kind.STRING || node.kind === Kind.ENUM) return node.value;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.FLOAT) return Number(node.value);
  if (node.kind === Kind.BOOLEAN) return node.value;
  return undefined;
}

function validUrl(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function validIp(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  if (extra !== undefined || !address) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (version === 4 ? 32 : 128);
}

function validPhone(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  return PHONE.test(value) && digits.length >= 7 && digits.length <= 15;
}

const timestamp = (value: unknown, phase: 'parse' | 'serialize'): number => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new AwsScalarError('AWSTimestamp', phase, `Unable to ${phase} \`${render(value)}\` as a valid Timestamp.`);
};

const json = {
  parse(value: unknown): unknown {
    if (typeof value === 'string') {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        // falls through to the error
      }
    }
    throw new AwsScalarError('AWSJSON', 'parse', `Unable to parse \`${render(value)}\` as a valid JSON.`);
  },
  // A resolver may return the JSON as a value or as text: clients always get text.
  serialize(value: unknown): string {
    return typeof value === 'string' ? value : JSON.stringify(value);
  },
};

/** Every AWS scalar, by name, with AppSync's validation as far as the reference states it. */
export const AWS_SCALARS: readonly GraphQLScalarType[] = [
  stringScalar({ name: 'AWSDate', noun: 'Date Object', valid: (v) => AWS_DATE.test(v), description: 'YYYY-MM-DD, optional offset' }),
  stringScalar({ name: 'AWSTime', noun: 'Time Object', valid: (v) => AWS_TIME.test(v), description: 'hh:mm:ss.sss, optional offset' }),
  stringScalar({ name: 'AWSDateTime', noun: 'DateTime Object', valid: (v) => AWS_DATE_TIME.test(v), description: 'YYYY-MM-DDThh:mm:ss.sssZ' }),
  stringScalar({ name: 'AWSEmail', noun: 'email address', valid: (v) => EMAIL.test(v), description: 'local@domain' }),
  stringScalar({ name: 'AWSURL', noun: 'URL', valid: validUrl, description: 'a URL with a scheme' }),
  stringScalar({ name: 'AWSPhone', noun: 'phone number', valid: validPhone, description: 'digits, spaces and hyphens' }),
  stringScalar({ name: 'AWSIPAddress', noun: 'IP address', valid: validIp, description: 'IPv4 or IPv6, optional CIDR prefix' }),
  new GraphQLScalarType({
    name: 'AWSTimestamp',
    description: 'seconds since the epoch',
    serialize: (v) => timestamp(v, 'serialize'),
    parseValue: (v) => timestamp(v, 'parse'),
    parseLiteral: (node) => timestamp(node.kind === Kind.INT ? Number(node.value) : literalValue(node) ?? node.kind, 'parse'),
  }),
  new GraphQLScalarType({
    name: 'AWSJSON',
    description: 'a JSON document as a string',
    serialize: json.serialize,
    parseValue: json.parse,
    parseLiteral: (node) => json.parse(node.kind === Kind.STRING ? node.value : undefined),
  }),
];

export const AWS_SCALAR_NAMES: ReadonlySet<string> = new Set(AWS_SCALARS.map((s) => s.name));
