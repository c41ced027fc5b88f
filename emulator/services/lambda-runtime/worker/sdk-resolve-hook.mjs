/**
 * Module resolve hook (runs on the loader hooks thread): Lambda's Node.js runtime provides the AWS SDK
 * v3 without bundling, so when normal resolution of an `@aws-sdk/*` or `@smithy/*` import fails, resolve
 * it again from the emulator's own location. Plain .mjs: it loads before any TypeScript support does.
 */
let fallbackParentURL;

export function initialize(data) {
  fallbackParentURL = data.fallbackParentURL;
}

const PROVIDED = /^@(aws-sdk|smithy)\//;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!PROVIDED.test(specifier) || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    try {
      return await nextResolve(specifier, { ...context, parentURL: fallbackParentURL });
    } catch {
      throw error;
    }
  }
}
