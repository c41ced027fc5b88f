import { ScaledClock } from '../../../emulator/core/clock.ts';
import { silentLog } from '../../../emulator/core/log.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { listenHttpAndH2c } from '../../../emulator/gateway/h2c-listener.ts';
import { bedrockOptionsSchema, type BedrockOptionsInput } from '../../../emulator/services/bedrock/options.ts';
import { createBedrockRuntime } from '../../../emulator/services/bedrock/router.ts';
import { reportLoopDelayOnSignal } from './loop-delay.ts';

/**
 * The emulator's Bedrock runtime alone, in its own process, on real time (ScaledClock 1) with the
 * default pacing: TTFT 400 ms, 50 tokens/s, 3 tokens a chunk, 40-token replies. Two ports:
 * - `url`: that pacing, plus the fault rules the fidelity checks call by model id;
 * - `unpaced`: no model latency, so Converse requests/s measures the emulator's own work (aimock
 *   answers Converse without any delay, so a paced figure would compare 1.2 s of waiting with none).
 */
const clock = new ScaledClock({ timeScale: 1 });

async function listen(input: BedrockOptionsInput): Promise<string> {
  const options = bedrockOptionsSchema.parse(input);
  const service = createBedrockRuntime(options, { clock, trace: new Trace(clock), log: silentLog });
  const listener = await listenHttpAndH2c(service, { host: '127.0.0.1', port: 0, maxBodyBytes: 1 << 20, log: silentLog });
  return listener.url;
}

const url = await listen({
  faults: [
    { error: 'ThrottlingException', on: { model: 'bench.throttle' } },
    { error: 'ModelStreamErrorException', afterChunks: 2, on: { model: 'bench.midstream' } },
  ],
});
const unpaced = await listen({ latency: { timeToFirstTokenMs: 0, tokensPerSecond: 1e9 } });
reportLoopDelayOnSignal();
process.stdout.write(`${JSON.stringify({ url, unpaced })}\n`);
