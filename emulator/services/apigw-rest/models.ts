import ajvDraft04, { type ValidateFunction } from 'ajv-draft-04';
import { EmulatorError } from '../../core/errors.ts';

/**
 * A REST API's models: JSON Schema draft 4, API Gateway's model language (models-mappings-models),
 * compiled once per API with Ajv's draft-04 class so no request pays for a compile.
 *
 * - Every AWS REST API comes with the `Empty` and `Error` models (their schemas as AWS returns them
 *   from GetModels, LocalStack's AWS-validated snapshot); a declared model of the same name wins.
 * - A model can use another through AWS's model URL,
 *   `https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{name}`. A config copied from AWS
 *   carries the real API's id, so any id is read as this API.
 * - `format` is not enforced (Ajv ships no draft-04 formats and AWS does not document enforcing
 *   them); unknown keywords are ignored, as draft 4 says.
 */

// ajv-draft-04 is CommonJS: under NodeNext its default import is the module, whose `default` is the class.
const Ajv = ajvDraft04.default;

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

export const BUILT_IN_MODELS: Readonly<Record<string, Record<string, unknown>>> = {
  Empty: { $schema: DRAFT_04, title: 'Empty Schema', type: 'object' },
  Error: { $schema: DRAFT_04, title: 'Error Schema', type: 'object', properties: { message: { type: 'string' } } },
};

const AJV_OPTIONS = { strict: false, validateFormats: false, logger: false } as const;

/** For the config schema: checks a model against draft 4's meta-schema without compiling it. */
const metaSchemaCheck = new Ajv(AJV_OPTIONS);

const MODEL_URL = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/;

export interface Model {
  name: string;
  /** Undefined when `value` conforms; otherwise Ajv's account of why, for the debug log. */
  check(value: unknown): string | undefined;
}

/** Why `schema` is not a JSON Schema draft 4, or undefined. References to other models are checked at compile. */
export function draft04Problem(schema: Record<string, unknown>): string | undefined {
  try {
    return metaSchemaCheck.validateSchema(schema) ? undefined : metaSchemaCheck.errorsText(metaSchemaCheck.errors, { dataVar: 'schema' });
  } catch (cause) {
    return (cause as Error).message; // e.g. a `$schema` other than draft 4
  }
}

export function compileModels(apiName: string, apiId: string, declared: Record<string, Record<string, unknown>>): Map<string, Model> {
  const ajv = new Ajv(AJV_OPTIONS);
  const urlOf = (name: string) => `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;
  const all = { ...BUILT_IN_MODELS, ...declared };
  const fail = (name: string, cause: unknown): never => {
    throw new EmulatorError(
      'ERR_CONFIG_VALIDATION',
      `Failed to create REST API "${apiName}": model "${name}" is not a usable JSON Schema draft 4 (${(cause as Error).message}). Fix restApis.${apiName}.models.${name}.`,
    );
  };
  for (const [name, schema] of Object.entries(all)) {
    try {
      ajv.addSchema(withLocalModelUrls(schema, urlOf) as Record<string, unknown>, urlOf(name));
    } catch (cause) {
      fail(name, cause);
    }
  }
  const models = new Map<string, Model>();
  for (const name of Object.keys(all)) {
    // getSchema compiles, resolving references to the other models: the last place a model can fail.
    const validate = compiled(ajv, urlOf(name), (cause) => fail(name, cause));
    models.set(name, { name, check: (value) => (validate(value) ? undefined : ajv.errorsText(validate.errors)) });
  }
  return models;
}

function compiled(ajv: InstanceType<typeof Ajv>, key: string, onError: (cause: unknown) => never): ValidateFunction {
  try {
    return ajv.getSchema(key)!;
  } catch (cause) {
    return onError(cause);
  }
}

/** A copy of `node` whose AWS model URLs point at this API. */
function withLocalModelUrls(node: unknown, urlOf: (name: string) => string): unknown {
  if (Array.isArray(node)) return node.map((item) => withLocalModelUrls(item, urlOf));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const m = key === '$ref' && typeof value === 'string' ? MODEL_URL.exec(value) : null;
    out[key] = m ? `${urlOf(m[1]!)}${m[2] ?? ''}` : withLocalModelUrls(value, urlOf);
  }
  return out;
}
