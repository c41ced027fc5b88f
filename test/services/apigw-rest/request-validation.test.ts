import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../../emulator/core/http.ts';
import { EmulatorError } from '../../../emulator/core/errors.ts';
import type { RestApiOptionsInput } from '../../../emulator/services/apigw-rest/options.ts';
import { allowAll, bodyBytes, bodyText, header, lastEvent, setup, UUID } from './support.ts';

/**
 * Basic request validation (AWS: api-gateway-method-request-validation, request-validation-test):
 * required parameters, the body against the model of its content type, what each validator checks,
 * where validation sits in the pipeline, and the config errors.
 */

const echo = (event: { body: string | null }) => ({ statusCode: 200, body: event.body ?? '' });

const PET = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Pet',
  type: 'object',
  required: ['type', 'price'],
  properties: { type: { type: 'string', enum: ['dog', 'cat', 'fish'] }, price: { type: 'number', minimum: 25, maximum: 500 } },
};

type Route = Exclude<RestApiOptionsInput['routes'][string], string>;

function api(route: Partial<Route>, extra: Partial<RestApiOptionsInput> = {}) {
  return setup({ models: { Pet: PET }, ...extra, routes: { 'POST /pets/{id}': { function: 'pets', ...route } } }, { pets: echo });
}

const MISSING = (names: string) => `{"message": "Missing required request parameters: [${names}]"}`;
const INVALID_BODY = '{"message": "Invalid request body"}';
const GOOD_PET = '{"type":"dog","price":260}';

function expect400(res: HttpResponse, body: string): void {
  expect(res.status).toBe(400);
  expect(bodyText(res)).toBe(body);
  expect(bodyBytes(res)).toBe(Buffer.byteLength(body));
  expect(header(res, 'content-type')).toBe('application/json');
  expect(header(res, 'x-amzn-ErrorType')).toBe('BadRequestException');
  expect(header(res, 'x-amzn-RequestId')).toMatch(UUID);
  expect(header(res, 'x-amz-apigw-id')).toBeDefined();
  expect(header(res, 'X-Amzn-Trace-Id')).toBeUndefined(); // never reached the integration
}

describe('REST request validation: parameters', () => {
  const params = { requestValidator: 'params' as const, requestParameters: { 'method.request.querystring.q1': true, 'method.request.header.h1': true } };

  it('REST: a missing required query parameter returns 400 Missing required request parameters', async () => {
    const h = api(params);
    const res = await h.send({ method: 'POST', path: '/dev/pets/1', headers: { h1: 'v1' } });
    expect400(res, MISSING('q1'));
    expect(bodyBytes(res)).toBe(56);
    expect(h.lambda.calls).toHaveLength(0);
  });

  it('REST: a blank required parameter (?q1= or an empty header) counts as missing', async () => {
    const h = api(params);
    expect400(await h.send({ method: 'POST', path: '/dev/pets/1?q1=', headers: { h1: '' } }), MISSING('h1, q1'));
    expect(h.lambda.calls).toHaveLength(0);
  });

  it('REST: missing parameters are listed by their full key: headers, then path, then query strings', async () => {
    // AWS answered [x-header-param, issuer, qs1] for header, path and query string (LocalStack's AWS-validated snapshot).
    const h = api({
      requestValidator: 'params',
      requestParameters: { 'method.request.querystring.qs1': true, 'method.request.path.issuer': true, 'method.request.header.x-header-param': true },
    });
    expect400(await h.send({ method: 'POST', path: '/dev/pets/1' }), MISSING('x-header-param, issuer, qs1'));
  });

  it('REST: required headers match case-insensitively and are named as configured', async () => {
    const h = api({ requestValidator: 'params', requestParameters: { 'method.request.header.X-Tenant': true } });
    expect400(await h.send({ method: 'POST', path: '/dev/pets/1' }), MISSING('X-Tenant'));
    expect((await h.send({ method: 'POST', path: '/dev/pets/1', headers: { 'x-tenant': 't1' } })).status).toBe(200);
  });

  it('REST: a required path parameter of the resource is always present; optional (false) ones are never required', async () => {
    const h = api({ requestValidator: 'params', requestParameters: { 'method.request.path.id': true, 'method.request.querystring.page': false } });
    expect((await h.send({ method: 'POST', path: '/dev/pets/7' })).status).toBe(200);
  });

  it('REST: multi-value parameters need one non-blank value', async () => {
    const h = api({ requestValidator: 'params', requestParameters: { 'method.request.multivaluequerystring.tag': true, 'method.request.multivalueheader.x-ids': true } });
    expect400(await h.send({ method: 'POST', path: '/dev/pets/1?tag=&tag=', headers: { 'x-ids': '' } }), MISSING('x-ids, tag'));
    expect((await h.send({ method: 'POST', path: '/dev/pets/1?tag=&tag=a', headers: { 'x-ids': ['', '2'] } })).status).toBe(200);
  });

  it('REST: a "params" validator ignores the body', async () => {
    const h = api({ ...params, requestModels: { 'application/json': 'Pet' } });
    const res = await h.send({ method: 'POST', path: '/dev/pets/1?q1=cat', headers: { h1: 'v1', 'Content-Type': 'application/json' }, body: 'not json' });
    expect(res.status).toBe(200);
    expect(h.lambda.countOf('pets')).toBe(1);
  });
});

describe('REST request validation: body', () => {
  const body = { requestValidator: 'body' as const, requestModels: { 'application/json': 'Pet' } };
  const post = (init: { headers?: Record<string, string>; body?: string } = {}) => ({ method: 'POST', path: '/dev/pets/1', headers: { 'Content-Type': 'application/json' }, ...init });

  it('REST: a body that does not match the model returns 400 Invalid request body', async () => {
    const h = api(body);
    const res = await h.send(post({ body: '{"type":"bird","price":269}' }));
    expect400(res, INVALID_BODY);
    expect(bodyBytes(res)).toBe(35);
    expect(h.lambda.calls).toHaveLength(0);
    expect(h.log.lines).toContainEqual({
      level: 'debug',
      message: 'Failed to validate the request to POST /pets/{id} on REST API "shop": data/type must be equal to one of the allowed values (model "Pet"). API Gateway answers 400 without invoking the integration.',
    });
  });

  it('REST: a body that is not JSON returns 400 Invalid request body', async () => {
    expect400(await api(body).send(post({ body: '{"type":' })), INVALID_BODY);
  });

  it('REST: a valid request passes through to the Lambda with its body unchanged', async () => {
    const h = api(body);
    const res = await h.send(post({ body: GOOD_PET }));
    expect(res.status).toBe(200);
    expect(bodyText(res)).toBe(GOOD_PET);
    expect(lastEvent(h, 'pets').body).toBe(GOOD_PET);
  });

  it('REST: without a Content-Type the application/json model applies, and an empty body is checked as {}', async () => {
    const h = api(body);
    expect400(await h.send({ method: 'POST', path: '/dev/pets/1' }), INVALID_BODY);
    expect400(await h.send({ method: 'POST', path: '/dev/pets/1', body: '{"type":"cat"}' }), INVALID_BODY);
    const lenient = api({ requestValidator: 'body', requestModels: { 'application/json': 'Empty' } });
    expect((await lenient.send({ method: 'POST', path: '/dev/pets/1' })).status).toBe(200);
  });

  it('REST: the media type is matched without its parameters and case', async () => {
    const h = api(body);
    expect400(await h.send(post({ headers: { 'Content-Type': 'Application/JSON; charset=utf-8' }, body: '{}' })), INVALID_BODY);
  });

  it('REST: a content type without a model (and no $default) is not validated', async () => {
    const h = api(body);
    expect((await h.send(post({ headers: { 'Content-Type': 'text/plain' }, body: 'anything' }))).status).toBe(200);
  });

  it('REST: the $default model validates every other content type', async () => {
    const h = api({ requestValidator: 'body', requestModels: { $default: 'Pet' } });
    expect400(await h.send(post({ headers: { 'Content-Type': 'text/plain' }, body: 'anything' })), INVALID_BODY);
    expect((await h.send(post({ headers: { 'Content-Type': 'application/x-pet' }, body: GOOD_PET }))).status).toBe(200);
  });

  it('REST: a "body" validator ignores missing parameters', async () => {
    const h = api({ ...body, requestParameters: { 'method.request.querystring.q1': true } });
    expect((await h.send(post({ body: GOOD_PET }))).status).toBe(200);
  });

  it('REST: "all" checks the parameters first, then the body', async () => {
    const h = api({ requestValidator: 'all', requestParameters: { 'method.request.querystring.q1': true }, requestModels: { 'application/json': 'Pet' } });
    expect400(await h.send(post({ body: '{}' })), MISSING('q1'));
    const url = { method: 'POST', path: '/dev/pets/1?q1=x', headers: { 'Content-Type': 'application/json' } };
    expect400(await h.send({ ...url, body: '{}' }), INVALID_BODY);
    expect((await h.send({ ...url, body: GOOD_PET })).status).toBe(200);
  });

  it('REST: without a requestValidator, requestParameters and requestModels are declarations only', async () => {
    const h = api({ requestParameters: { 'method.request.querystring.q1': true }, requestModels: { 'application/json': 'Pet' } });
    expect((await h.send(post({ body: 'not json' }))).status).toBe(200);
  });

  it('REST: a model can use another through its AWS model URL, whatever the API id', async () => {
    const h = setup(
      {
        models: { Pet: PET, Pets: { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/a1b2c3d4e5/models/Pet' } } },
        routes: { 'POST /pets': { function: 'pets', requestValidator: 'body', requestModels: { 'application/json': 'Pets' } } },
      },
      { pets: echo },
    );
    expect((await h.send({ method: 'POST', path: '/dev/pets', body: `[${GOOD_PET}]` })).status).toBe(200);
    expect400(await h.send({ method: 'POST', path: '/dev/pets', body: '[{"type":"dog","price":1}]' }), INVALID_BODY);
  });
});

describe('REST request validation: place in the pipeline and config', () => {
  const invalid = { requestValidator: 'all' as const, requestParameters: { 'method.request.querystring.q1': true } };

  it('REST: validation runs after the authorizer: an unauthorised invalid request gets 401', async () => {
    const h = setup(
      { authorizers: { auth: { type: 'TOKEN', function: 'auth' } }, routes: { 'GET /x': { function: 'x', authorizer: 'auth', ...invalid } } },
      { auth: () => { throw new Error('Unauthorized'); }, x: echo },
    );
    expect((await h.send({ path: '/dev/x', headers: { Authorization: 't' } })).status).toBe(401);
    const allowed = setup({ authorizers: { auth: { type: 'TOKEN', function: 'auth' } }, routes: { 'GET /x': { function: 'x', authorizer: 'auth', ...invalid } } }, { auth: () => allowAll(), x: echo });
    expect400(await allowed.send({ path: '/dev/x', headers: { Authorization: 't' } }), MISSING('q1'));
    expect(allowed.lambda.countOf('auth')).toBe(1);
    expect(allowed.lambda.countOf('x')).toBe(0);
  });

  it('REST: validation runs after the API key check and spends the throttle token', async () => {
    const key = 'k'.repeat(20);
    const h = setup({ apiKeys: { k: { value: key } }, usagePlans: { p: { apiKeys: ['k'] } }, throttle: { rateLimit: 1, burstLimit: 1 }, routes: { 'GET /x': { function: 'x', apiKeyRequired: true, ...invalid } } }, { x: echo });
    expect((await h.send({ path: '/dev/x' })).status).toBe(403);
    expect400(await h.send({ path: '/dev/x', headers: { 'x-api-key': key } }), MISSING('q1'));
    expect((await h.send({ path: '/dev/x?q1=a', headers: { 'x-api-key': key } })).status).toBe(429);
  });

  it('REST: a route naming an unknown model is a configuration error', () => {
    expect(() => api({ requestValidator: 'body', requestModels: { 'application/json': 'Nope' } })).toThrow(
      new EmulatorError('ERR_CONFIG_VALIDATION', 'Failed to create REST API "shop": route "POST /pets/{id}" names unknown model "Nope". Declare it under "models".'),
    );
  });

  it('REST: a model that is not JSON Schema draft 4, or references a missing model, is a configuration error', () => {
    expect(() => setup({ models: { Bad: { type: 'nope' } }, routes: {} })).toThrow('is not a JSON Schema draft 4: schema/type must be equal to one of the allowed values');
    expect(() => setup({ models: { Bad: { $ref: 'https://apigateway.amazonaws.com/restapis/x/models/Gone' } }, routes: {} })).toThrow(
      /^Failed to create REST API "shop": model "Bad" is not a usable JSON Schema draft 4 \(can't resolve reference .*\/models\/Gone/,
    );
  });
});
