import { defineScenario } from '../../emulator/harness/define.ts';
import { HTTP, PATTERN, PROMPT, REST } from './apis.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const restHappyPath = defineScenario({
  name: 'rest-happy-path',
  pattern: PATTERN,
  description: 'REST API: POST /chat answers 200 with a JSON reply and the x-amzn-RequestId header.',
  tags: ['rest', 'happy-path'],
  async run({ http, expect, step }) {
    await step('POST /chat answers 200 with a reply', async () => {
      const res = await http.request({ api: REST, method: 'POST', path: '/chat', body: PROMPT });
      expect.status(res, 200);
      const body = expect.json<{ reply?: unknown }>(res);
      expect.equal(typeof body.reply, 'string', 'the type of "reply"');
      expect.header(res, 'x-amzn-requestid', UUID);
    });
  },
});

export const httpHappyPath = defineScenario({
  name: 'http-happy-path',
  pattern: PATTERN,
  description: 'HTTP API: POST /chat answers 200 with a JSON reply and the apigw-requestid header.',
  tags: ['http-api', 'happy-path'],
  async run({ http, expect, step }) {
    await step('POST /chat answers 200 with a reply', async () => {
      const res = await http.request({ api: HTTP, method: 'POST', path: '/chat', body: PROMPT });
      expect.status(res, 200);
      const body = expect.json<{ reply?: unknown }>(res);
      expect.equal(typeof body.reply, 'string', 'the type of "reply"');
      expect.header(res, 'apigw-requestid');
    });
  },
});
