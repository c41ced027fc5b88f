import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HandlerNotFound, ImportModuleError, MalformedHandlerName, UserCodeSyntaxError } from './runtime-errors.ts';

/**
 * Loads `_HANDLER` the way Lambda's Node.js 20 runtime does (runtime interface client 3.x,
 * src/UserFunction.js): same search order, same CommonJS/ESM decision, same errors and wording. The one
 * addition is TypeScript (.ts, .mts, .cts, via tsx), tried after Lambda's own extensions.
 */

const require = createRequire(import.meta.url);

export type Handler = (...args: unknown[]) => unknown;

export async function loadHandler(appRoot: string, fullHandlerString: string): Promise<Handler> {
  if (fullHandlerString.includes('..')) {
    throw new MalformedHandlerName(`'${fullHandlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerString = path.basename(fullHandlerString);
  const moduleRoot = fullHandlerString.substring(0, fullHandlerString.indexOf(handlerString));
  const match = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!match) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, handlerPath] = match as unknown as [string, string, string];

  const userApp = await loadUserApp(appRoot, moduleRoot, moduleName);
  const handler = handlerPath.split('.').reduce<unknown>((nested, key) => nested && (nested as Record<string, unknown>)[key], userApp);
  if (!handler) throw new HandlerNotFound(`${fullHandlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandlerString} is not a function`);
  return handler as Handler;
}

async function loadUserApp(appRoot: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  try {
    return await tryLoad(appRoot, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserCodeSyntaxError(error as unknown as string);
    // tsx reports a TypeScript syntax error as esbuild's TransformError: the same fault, reported as one.
    if ((error as Error | null)?.name === 'TransformError') throw new UserCodeSyntaxError(new SyntaxError((error as Error).message) as unknown as string);
    if ((error as { code?: string } | null)?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(error as unknown as string);
    throw error;
  }
}

async function tryLoad(appRoot: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  const file = path.resolve(appRoot, moduleRoot, moduleName);
  // Extensionless files are loaded with require.
  const extensionless = tryRequire(file);
  if (extensionless) return extensionless;
  // .js is CommonJS unless the nearest package.json says "type": "module".
  const jsIsModule = typeIsModule(file, '.js');
  if (!jsIsModule) {
    const loaded = tryRequire(file, '.js');
    if (loaded) return loaded;
  }
  const loaded =
    (jsIsModule && (await tryImport(file, '.js'))) ||
    (await tryImport(file, '.mjs')) ||
    tryRequire(file, '.cjs') ||
    (await tryTypeScript(file));
  if (loaded) return loaded;
  // Lambda's last resort: resolve the name as a package from the task root (fails as Lambda's does).
  return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

/**
 * Emulator addition. tsx compiles an ESM-syntax .ts file in a CommonJS package to CommonJS, so `import()`
 * would hide its named exports behind `default`: require it instead, as its package type says.
 */
async function tryTypeScript(file: string): Promise<unknown> {
  return (
    (typeIsModule(file, '.ts') ? await tryImport(file, '.ts') : tryRequire(file, '.ts')) ||
    (await tryImport(file, '.mts')) ||
    tryRequire(file, '.cts')
  );
}

function tryRequire(file: string, extension = ''): unknown {
  const target = file + extension;
  return existsSync(target) ? require(target) : undefined;
}

async function tryImport(file: string, extension: string): Promise<unknown> {
  const target = file + extension;
  return existsSync(target) ? await import(pathToFileURL(target).href) : undefined;
}

function typeIsModule(file: string, extension: string): boolean {
  return existsSync(file + extension) ? folderTypeIsModule(path.dirname(file + extension)) : false;
}

/** The nearest package.json decides; a node_modules folder or the root ends the search. */
function folderTypeIsModule(folder: string): boolean {
  if (folder.endsWith('/node_modules')) return false;
  const pj = path.join(folder, 'package.json');
  if (existsSync(pj)) {
    try {
      return (JSON.parse(readFileSync(pj, 'utf8')) as { type?: string } | null)?.type === 'module';
    } catch (error) {
      console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, error);
      return false;
    }
  }
  if (folder === '/') return false;
  return folderTypeIsModule(path.resolve(folder, '..'));
}
