/**
 * TypeScript support for handler code (an emulator addition: Lambda's Node.js runtime has none).
 * Imported only when a handler resolves to .ts/.mts/.cts, so JavaScript handlers run without tsx, as on
 * Lambda: tsx would let through what Lambda refuses (extensionless ESM imports, require of ESM, JSON
 * imports without attributes) and costs ~150 ms and ~10 MB per environment. Plain .mjs, imported by its
 * path in this folder, so `tsx` resolves from the emulator's installation wherever the runtime runs from.
 */
import { register as registerEsm } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

registerEsm();
registerCjs();
