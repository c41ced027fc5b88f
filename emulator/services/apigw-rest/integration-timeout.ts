import { EmulatorError } from '../../core/errors.ts';
import type { Limits } from '../../core/limits.ts';
import type { RestApiOptions } from './options.ts';

/**
 * REST integration timeouts (reference §2.3): 50 ms to 29 s, more only with the raised Service Quota
 * (Regional and private APIs, since June 2024), itself reported to stop at 300 s. The config schema
 * checks this too; APIs built programmatically get the same answer here.
 */
export function maxIntegrationTimeoutMs(apiName: string, options: RestApiOptions, limits: Limits): number {
  const quota = options.integrationTimeoutQuotaMs;
  if (quota === undefined) return limits.restIntegrationTimeoutMs;
  if (quota > limits.restRaisedIntegrationTimeoutMaxMs) {
    throw new EmulatorError(
      'ERR_CONFIG_VALIDATION',
      `Failed to create REST API "${apiName}": integrationTimeoutQuotaMs ${quota} is above the ${limits.restRaisedIntegrationTimeoutMaxMs} ms AWS grants. Lower it.`,
    );
  }
  return quota;
}

/** `stream`: a STREAM route, whose maximum (15 minutes) no quota raises. */
export function integrationTimeoutMs(apiName: string, routeKey: string, requested: number | undefined, maxMs: number, limits: Limits, stream = false): number {
  if (requested !== undefined && requested > maxMs) {
    const advice = stream ? 'Lower it: no quota raises the STREAM maximum' : 'Set integrationTimeoutQuotaMs (the raised quota) or lower it';
    throw new EmulatorError(
      'ERR_CONFIG_VALIDATION',
      `Failed to create REST API "${apiName}": route "${routeKey}" asks for a ${requested} ms integration timeout, above the ${maxMs} ms maximum. ${advice}.`,
    );
  }
  return requested ?? limits.restIntegrationTimeoutMs;
}
