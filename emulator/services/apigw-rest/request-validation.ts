import { EmulatorError } from '../../core/errors.ts';
import { GATEWAY_ERRORS, missingRequestParameters, type RestApiError } from './errors.ts';
import { eventHeader, type EventHeaders } from './headers.ts';
import type { Model } from './models.ts';
import { REQUEST_PARAMETER_PATTERN } from './options.ts';
import type { QueryParameters } from './request.ts';

/**
 * Basic request validation (api-gateway-method-request-validation, request-validation-test):
 * - Parameters: every required one must be present and not blank, or 400 BAD_REQUEST_PARAMETERS
 *   `Missing required request parameters: [a, b]`. Names are listed sorted by their full
 *   `method.request.*` key, so headers, then path, then query strings: AWS answered
 *   `[x-header-param, issuer, qs1]` in LocalStack's AWS-validated snapshot. Only emptiness counts as
 *   blank; AWS checks presence, never type or format.
 * - Body: the model for the request's media type, else the `$default` model, else no validation at
 *   all (the docs: "If no matching content type is found, request validation is not performed"). No
 *   `Content-Type` reads as `application/json`: API Gateway's passthrough table says so, and AWS
 *   rejected a bodiless GET without one against an `application/json` model (LocalStack's
 *   AWS-validated test). An empty body is checked as `{}` (LocalStack's choice, consistent with every
 *   AWS-validated case); a body that is not JSON is invalid.
 * - Parameters are checked before the body: a request failing both gets the parameters message.
 */

type Location = 'header' | 'multivalueheader' | 'path' | 'querystring' | 'multivaluequerystring';

interface RequiredParameter {
  location: Location;
  /** Lower-case for headers, which match case-insensitively. */
  name: string;
  /** As configured, for the error message. */
  label: string;
}

export interface RequestValidation {
  /** Present when the validator checks parameters; in the order AWS reports them. */
  required?: RequiredParameter[];
  /** Present when the validator checks the body: lower-case media type (or `$default`) -> model. */
  models?: Map<string, Model>;
}

export interface RouteValidationOptions {
  requestValidator?: 'params' | 'body' | 'all';
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
}

export interface MethodRequest {
  headers: EventHeaders;
  query: QueryParameters;
  pathParameters: Record<string, string> | null;
  body: Buffer;
}

export type ValidationFailure = { error: RestApiError; detail: string };

export function compileRequestValidation(apiName: string, routeKey: string, route: RouteValidationOptions, models: Map<string, Model>): RequestValidation | undefined {
  const validator = route.requestValidator;
  if (!validator) return undefined;
  const out: RequestValidation = {};
  if (validator !== 'body') {
    out.required = Object.entries(route.requestParameters ?? {})
      .filter(([, required]) => required)
      .map(([key]) => key)
      .sort()
      .map((key) => {
        const m = REQUEST_PARAMETER_PATTERN.exec(key)!;
        const location = m[1] as Location;
        return { location, label: m[2]!, name: location.endsWith('header') ? m[2]!.toLowerCase() : m[2]! };
      });
  }
  if (validator !== 'params') {
    out.models = new Map();
    for (const [contentType, modelName] of Object.entries(route.requestModels ?? {})) {
      const model = models.get(modelName);
      if (!model) {
        throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to create REST API "${apiName}": route "${routeKey}" names unknown model "${modelName}". Declare it under "models".`);
      }
      out.models.set(contentType === '$default' ? contentType : contentType.toLowerCase(), model);
    }
  }
  return out;
}

export function validateRequest(validation: RequestValidation, req: MethodRequest): ValidationFailure | undefined {
  if (validation.required) {
    const missing = validation.required.filter((p) => !isPresent(p, req)).map((p) => p.label);
    if (missing.length > 0) return { error: missingRequestParameters(missing), detail: `missing ${missing.join(', ')}` };
  }
  if (validation.models) {
    const mediaType = (eventHeader(req.headers, 'content-type') ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    const model = validation.models.get(mediaType) ?? validation.models.get('$default');
    if (!model) return undefined;
    let body: unknown;
    try {
      body = req.body.length === 0 ? {} : JSON.parse(req.body.toString('utf8'));
    } catch {
      return { error: GATEWAY_ERRORS.invalidRequestBody, detail: `the body is not JSON (model "${model.name}")` };
    }
    const reason = model.check(body);
    if (reason !== undefined) return { error: GATEWAY_ERRORS.invalidRequestBody, detail: `${reason} (model "${model.name}")` };
  }
  return undefined;
}

function isPresent(p: RequiredParameter, req: MethodRequest): boolean {
  switch (p.location) {
    case 'header':
      return nonBlank(eventHeader(req.headers, p.name));
    case 'multivalueheader': {
      const key = req.headers.names.get(p.name);
      return key !== undefined && req.headers.multiValueHeaders[key]!.some(nonBlank);
    }
    case 'path':
      return nonBlank(own(req.pathParameters, p.name));
    case 'querystring':
      return nonBlank(own(req.query.single, p.name));
    case 'multivaluequerystring':
      return own(req.query.multi, p.name)?.some(nonBlank) ?? false;
  }
}

const nonBlank = (value: string | undefined): boolean => value !== undefined && value !== '';

/** Own keys only: a parameter named `constructor` must not find Object.prototype's. */
function own<T>(record: Record<string, T> | null, key: string): T | undefined {
  return record !== null && Object.hasOwn(record, key) ? record[key] : undefined;
}
