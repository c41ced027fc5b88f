import { z } from 'zod';
import { lastUserText, type ConverseRequest } from './converse-request.ts';
import { INVALID_MODEL_ID, ValidationException } from './errors.ts';
import { countTokens } from './tokens.ts';

/**
 * Intelligent prompt routing (reference 5.3): a prompt-router ARN as the model id picks one of two
 * models of a family, and the reply reports it in `trace.promptRouter.invokedModelId`.
 *
 * AWS predicts response quality per model; the emulator decides by a rule you can predict: a last
 * user message shorter than `thresholdTokens` (tokens.ts) goes to the first (smaller) model, the rest
 * to the second. Default routers (`default-prompt-router/<family>:<version>`) use the built-in pairs
 * below; `prompt-router/<id>` uses `bedrock.promptRouters[<id>]`, or the anthropic.claude pair.
 *
 *   promptRouters: { abc123: { models: ['amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0'], thresholdTokens: 200 } }
 */
export const DEFAULT_THRESHOLD_TOKENS = 100;

const routerSchema = z.strictObject({
  models: z.tuple([z.string().min(1), z.string().min(1)]),
  thresholdTokens: z.number().int().min(1).default(DEFAULT_THRESHOLD_TOKENS),
});

/** Keyed by the router id: the part after `prompt-router/` (or after `default-prompt-router/`, e.g. `meta.llama:1`). */
export const promptRoutersSchema = z.record(z.string().min(1), routerSchema);

export type PromptRouterOptions = z.infer<typeof routerSchema>;

/** Built-in pairs per family (smaller model first), for the default routers AWS offers. */
const DEFAULT_ROUTERS: Readonly<Record<string, readonly [string, string]>> = {
  'anthropic.claude': ['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0'],
  'meta.llama': ['meta.llama3-1-8b-instruct-v1:0', 'meta.llama3-1-70b-instruct-v1:0'],
  'amazon.nova': ['amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0'],
};

const ROUTER_ARN = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]+):(\d{12})?:(default-prompt-router|prompt-router)\/(.+)$/;

export interface RoutedModel {
  /** The foundation-model id the router picked: what scripts, the mock and the cache see. */
  modelId: string;
  /** Its foundation-model ARN in the router's region, as `trace.promptRouter.invokedModelId`. */
  invokedModelArn: string;
}

/** Undefined for a model id that is not a prompt-router ARN. */
export function routePrompt(modelId: string, request: ConverseRequest, routers: Readonly<Record<string, PromptRouterOptions>>): RoutedModel | undefined {
  const arn = ROUTER_ARN.exec(modelId);
  if (!arn) return undefined;
  const [, region, , kind, id] = arn as unknown as [string, string, string | undefined, string, string];
  const configured = routers[id];
  const family = id.replace(/:[^:]*$/, '');
  const models = configured?.models ?? (kind === 'default-prompt-router' ? DEFAULT_ROUTERS[family] : DEFAULT_ROUTERS['anthropic.claude']);
  // A default router for a family Bedrock has no router for is an unknown model id.
  if (!models) throw new ValidationException(INVALID_MODEL_ID);
  const threshold = configured?.thresholdTokens ?? DEFAULT_THRESHOLD_TOKENS;
  const chosen = countTokens(lastUserText(request)) < threshold ? models[0] : models[1];
  return { modelId: chosen, invokedModelArn: `arn:aws:bedrock:${region}::foundation-model/${chosen}` };
}
