import { fileURLToPath } from 'node:url';

/**
 * The bundled example app: what `genai-offline start` and `genai-offline scenarios` use when no config
 * is given, and what the sync-request-response scenarios are written against.
 */
export const EXAMPLE_APP_CONFIG = fileURLToPath(new URL('../../fixtures/example-app/genai-offline.config.ts', import.meta.url));
