import { resolve as resolvePath } from 'node:path';
import { EmulatorError } from '../../../core/errors.ts';
import type { ServiceDeps } from '../../../core/service.ts';
import type { Trace } from '../../../core/trace.ts';
import { CodeLoadError, loadUnit, type CodeUnit } from '../js/unit.ts';
import type { AppSyncApiOptions } from '../options.ts';
import { bedrockDataSource, type BedrockDispatch } from './bedrock.ts';
import { lambdaDataSource } from './lambda.ts';
import { noneDataSource } from './none.ts';
import type { DataSource } from './types.ts';

/** A `{dataSource, code}` resolver, loaded: its handlers and the data source they call. */
export interface CodeResolver {
  api: string;
  /** `Type.field` */
  key: string;
  trace: Trace;
  unit: CodeUnit;
  dataSource: DataSource;
}

export interface CompileInput {
  api: string;
  options: AppSyncApiOptions;
  baseDir: string;
  deps: ServiceDeps;
  bedrock: BedrockDispatch | undefined;
  /** The schema's Subscription type name, if any: its resolvers run at `start` and must use NONE. */
  subscriptionType: string | undefined;
}

/**
 * The APPSYNC_JS resolvers of one API, checked and loaded once at start-up: every named data source
 * exists (NONE always does), Lambda functions are configured, Bedrock is enabled, and every code file
 * bundles and exports `request` and `response`. All problems are reported together, with their paths.
 */
export function compileResolvers(input: CompileInput): Map<string, CodeResolver> {
  const { api, options, baseDir, deps, bedrock } = input;
  const problems: string[] = [];
  const at = (path: string) => `appsyncApis.${api}.${path}`;
  const sources = new Map<string, DataSource>([['NONE', noneDataSource()]]);
  for (const [name, ds] of Object.entries(options.dataSources)) {
    if (ds.type === 'NONE') sources.set(name, noneDataSource(name));
    else if (ds.type === 'AWS_LAMBDA') {
      if (!deps.lambda.hasFunction(ds.function)) problems.push(`${at(`dataSources.${name}.function`)}: no function named "${ds.function}" in functions`);
      sources.set(name, lambdaDataSource(name, ds.function));
    } else if (!bedrock) problems.push(`${at(`dataSources.${name}`)}: an AMAZON_BEDROCK_RUNTIME data source needs bedrock.enabled`);
    else sources.set(name, bedrockDataSource(name, api, bedrock, deps));
  }
  const resolvers = new Map<string, CodeResolver>();
  for (const [key, resolver] of Object.entries(options.resolvers)) {
    if (!('code' in resolver)) continue;
    const path = at(`resolvers["${key}"]`);
    const dataSource = sources.get(resolver.dataSource);
    if (!dataSource) {
      if (!(resolver.dataSource in options.dataSources)) problems.push(`${path}.dataSource: no data source named "${resolver.dataSource}" (declare it under dataSources, or use NONE)`);
      continue;
    }
    if (key.split('.')[0] === input.subscriptionType && dataSource.type !== 'NONE') {
      problems.push(`${path}.dataSource: a subscription resolver runs at start with a NONE data source here, not ${dataSource.type}`);
      continue;
    }
    const file = resolvePath(baseDir, resolver.code);
    try {
      resolvers.set(key, { api, key, trace: deps.trace, unit: loadUnit(file, deps.clock), dataSource });
    } catch (error) {
      problems.push(`${path}.code: ${file}: ${error instanceof CodeLoadError ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) {
    throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to load the resolvers of AppSync API "${api}": ${problems.join('; ')}. Fix the paths named.`);
  }
  return resolvers;
}
