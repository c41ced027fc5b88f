// The benchmark's hello world: the smallest valid proxy response, so the figures measure the emulator.
export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' });
