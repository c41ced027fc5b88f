// The WebSocket bench's $connect and $default: accept and answer nothing, so the figures measure the emulator.
export const handler = async () => ({ statusCode: 200 });
