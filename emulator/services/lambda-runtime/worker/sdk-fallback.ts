import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Lambda's Node.js runtime serves the AWS SDK v3 from /var/runtime/node_modules, so handlers import
 * `@aws-sdk/*` without bundling it. The emulator serves its own installed copy the same way, and only
 * as a fallback: a handler's own node_modules still wins, and other packages are not leaked to it.
 * Only the SDK packages installed with the emulator are available (Lambda ships all clients).
 */

const PROVIDED = /^@(aws-sdk|smithy)\//;

interface ResolvableModule {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: { paths?: string[] }): string;
}

/** `runtimeDir`: the runtime's source folder, inside the emulator's installation (this code may run from a bundle elsewhere). */
export function installSdkFallback(runtimeDir: string): void {
  const fallbackParentURL = pathToFileURL(`${runtimeDir}/`).href;

  // ESM: a resolve hook on the worker's loader thread.
  register('./sdk-resolve-hook.mjs', fallbackParentURL, { data: { fallbackParentURL } });

  // CommonJS: retry a failed require of an SDK package from the emulator's folder.
  const loader = Module as unknown as ResolvableModule;
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, isMain, options) {
    try {
      return resolveFilename.call(this, request, parent, isMain, options);
    } catch (error) {
      if (!PROVIDED.test(request) || (error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
      try {
        return resolveFilename.call(this, request, parent, isMain, { paths: [runtimeDir] });
      } catch {
        throw error;
      }
    }
  };
}
