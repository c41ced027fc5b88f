import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { setupServer } from 'msw/node';
import { ScaledClock } from '../../../emulator/core/clock.ts';
import { createBedrockMock } from '../../../emulator/msw.ts';
import { listenBedrock, sdkClient, type Transport } from '../../services/bedrock/helpers.ts';
import { CONTRACT_BEDROCK_OPTIONS, type ContractTarget, type ModelFamily } from './cases.ts';

/** A target the suite can start, or the reason it cannot run here. */
export interface TargetSpec {
  name: string;
  real: boolean;
  skip?: string;
  start(): Promise<RunningTarget>;
}

export interface RunningTarget {
  target: ContractTarget;
  stop(): Promise<void>;
}

/** What the emulator targets call: ids the mock accepts, one per family. */
const EMULATOR_MODELS: Record<ModelFamily | 'default', string> = {
  default: 'amazon.nova-micro-v1:0',
  anthropic: 'anthropic.claude-3-haiku-20240307-v1:0',
  'amazon-nova': 'amazon.nova-micro-v1:0',
  'amazon-titan': 'amazon.titan-text-express-v1',
  'meta-llama': 'meta.llama3-8b-instruct-v1:0',
};

// 1 emulated second lasts 1 real ms: the mock's default pacing (about a second a reply) costs ~1 ms.
const TIME_SCALE = 0.001;

/** Builds a ContractTarget whose clients are made by `make` and all destroyed by `destroy`. */
function clients(name: string, real: boolean, make: (extra: Partial<BedrockRuntimeClientConfig>) => BedrockRuntimeClient, modelId: ContractTarget['modelId']) {
  const made: BedrockRuntimeClient[] = [];
  let shared: BedrockRuntimeClient | undefined;
  const target: ContractTarget = {
    name,
    real,
    modelId,
    client(extra) {
      if (!extra && shared) return shared;
      const client = make(extra ?? {});
      made.push(client);
      if (!extra) shared = client;
      return client;
    },
  };
  return { target, destroy: () => made.forEach((c) => c.destroy()) };
}

const emulatorModel = (family?: ModelFamily) => EMULATOR_MODELS[family ?? 'default'];

// One emulator port for both socket targets, as startEmulator serves it: HTTP/2 and HTTP/1.1 clients
// reach the same listener. Opened by the first target to start; closeContractTargets closes it.
let port: ReturnType<typeof listenBedrock> | undefined;

async function emulatorUrl(): Promise<string> {
  port ??= listenBedrock(new ScaledClock({ timeScale: TIME_SCALE }), CONTRACT_BEDROCK_OPTIONS);
  return (await port).listener.url;
}

/** Closes what targets share across their describe blocks (the emulator port). */
export async function closeContractTargets(): Promise<void> {
  const open = port;
  port = undefined;
  if (open) await (await open).listener.close();
}

function socketTarget(name: string, transport: Transport): TargetSpec {
  return {
    name,
    real: false,
    async start() {
      const url = await emulatorUrl();
      const { target, destroy } = clients(name, false, (extra) => sdkClient(url, transport, extra), emulatorModel);
      return { target, stop: async () => destroy() };
    },
  };
}

const mswTarget: TargetSpec = {
  name: 'msw (NodeHttpHandler, no endpoint)',
  real: false,
  async start() {
    // Listening only while this target runs: msw patches node:http for the whole worker.
    const server = setupServer(...createBedrockMock({ bedrock: CONTRACT_BEDROCK_OPTIONS, timeScale: TIME_SCALE }).handlers);
    server.listen({ onUnhandledRequest: 'error' });
    const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
    const make = (extra: Partial<BedrockRuntimeClientConfig>) => new BedrockRuntimeClient({ region: 'us-east-1', credentials, requestHandler: new NodeHttpHandler(), ...extra });
    const { target, destroy } = clients(mswTarget.name, false, make, emulatorModel);
    return { target, stop: async () => (destroy(), server.close()) };
  },
};

const REAL_SKIP = 'set GENAI_OFFLINE_REAL_BEDROCK=1 with AWS credentials and model access to run';

/** Real Bedrock, opt in: the unmodified client (HTTP/2) with the default credential chain. */
async function realTarget(): Promise<TargetSpec> {
  const name = 'real Bedrock';
  const spec = (skip: string): TargetSpec => ({ name, real: true, skip, start: () => Promise.reject(new Error(skip)) });
  if (process.env.GENAI_OFFLINE_REAL_BEDROCK !== '1') return spec(REAL_SKIP);
  try {
    await defaultProvider()();
  } catch (error) {
    return spec(`no AWS credentials (${(error as Error).message}); ${REAL_SKIP}`);
  }
  const region = process.env.AWS_REGION ?? 'us-east-1';
  // Family rows are skipped unless their variable is set (missingRealModel), so `!` holds.
  const modelId = (family?: ModelFamily) => (family ? process.env[realModelVariable(family)]! : process.env.GENAI_OFFLINE_REAL_MODEL ?? 'amazon.nova-micro-v1:0');
  return {
    name: `${name} (${region}, ${modelId()})`,
    real: true,
    async start() {
      const { target, destroy } = clients(name, true, (extra) => new BedrockRuntimeClient({ region, ...extra }), modelId);
      return { target, stop: async () => destroy() };
    },
  };
}

/** Why a real target cannot run a family-specific row, if it cannot. */
export function missingRealModel(family: ModelFamily | undefined): string | undefined {
  if (!family || process.env[realModelVariable(family)]) return undefined;
  return `set ${realModelVariable(family)} to a ${family} model id to run it on real Bedrock`;
}

/** `meta-llama` -> GENAI_OFFLINE_REAL_MODEL_META_LLAMA. */
const realModelVariable = (family: ModelFamily) => `GENAI_OFFLINE_REAL_MODEL_${family.toUpperCase().replace('-', '_')}`;

export async function contractTargets(): Promise<TargetSpec[]> {
  return [socketTarget('HTTP/2 (default SDK handler)', 'HTTP/2 (default handler)'), socketTarget('HTTP/1.1 (NodeHttpHandler)', 'HTTP/1.1 (NodeHttpHandler)'), mswTarget, await realTarget()];
}
