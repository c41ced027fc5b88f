import { functionUrlBandwidthCap, functionUrlBufferedTooLarge, restStreamPastFifteenMinutes, streamClientDisconnect } from './limits.ts';
import { streamSideBySide } from './side-by-side.ts';
import { functionUrlStream, restStream } from './streams.ts';

/**
 * The response-streaming pattern: one `awslambda.streamifyResponse` handler writes the model's answer
 * as server-sent events while Bedrock produces it, behind a function URL (RESPONSE_STREAM) and a REST
 * route in STREAM mode; the same chat over the WebSocket API and AppSync for comparison. Each
 * streaming scenario records its token timing (README, "Token timing") in the result.
 */
export default [
  functionUrlStream,
  restStream,
  streamClientDisconnect,
  functionUrlBufferedTooLarge,
  functionUrlBandwidthCap,
  restStreamPastFifteenMinutes,
  streamSideBySide,
];
