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

export type Handler = (...args: unknown[]) => unknown;

/** The runtime's side of loading: its folder (`LAMBDA_RUNTIME_DIR`) and the require handlers load with. */
interface Loader {
  runtimeDir: string;
  require: NodeJS.Require;
}

/** `runtimeDir`: the runtime's source folder; this code may run from a bundle elsewhere. */
export async function loadHandler(appRoot: string, fullHandlerString: string, runtimeDir: string): Promise<Handler> {
  if (fullHandlerString.includes('..')) {
    throw new MalformedHandlerName(`'${fullHandlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerString = path.basename(fullHandlerString);
  const moduleRoot = fullHandlerString.substring(0, fullHandlerString.indexOf(handlerString));
  const match = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!match) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, handlerPath] = match as unknown as [string, string, string];

  // Lambda requires handlers from its runtime's file, which "Require stack" lines name. Ours is this
  // module's source, named by path so the wording is the same whether it runs bundled or through tsx.
  const loader = { runtimeDir, require: createRequire(path.join(runtimeDir, 'load-handler.ts')) };
  const userApp = await loadUserApp(loader, appRoot, moduleRoot, moduleName);
  const handler = handlerPath.split('.').reduce<unknown>((nested, key) => nested && (nested as Record<string, unknown>)[key], userApp);
  if (!handler) throw new HandlerNotFound(`${fullHandlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandlerString} is not a function`);
  return handler as Handler;
}

async function loadUserApp(loader: Loader, appRoot: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  try {
    return await tryLoad(loader, appRoot, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserCodeSyntaxError(error as unknown as string);
    // tsx reports a TypeScript syntax error as esbuild's TransformError: the same fault, reported as one.
    if ((error as Error | null)?.name === 'TransformError') throw new UserCodeSyntaxError(new SyntaxError((error as Error).message) as unknown as string);
    if ((error as { code?: string } | null)?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(error as unknown as string);
    throw error;
  }
}

async function tryLoad(loader: Loader, appRoot: string, moduleRoot: string, moduleName: string): Promise<unknown> {
  const { require } = loader;
  const file = path.resolve(appRoot, moduleRoot, moduleName);
  // Extensionless files are loaded with require.
  const extensionless = tryRequire(require, file);
  if (extensionless) return extensionless;
  // .js is CommonJS unless the nearest package.json says "type": "module".
  const jsIsModule = typeIsModule(file, '.js');
  if (!jsIsModule) {
    const loaded = tryRequire(require, file, '.js');
    if (loaded) return loaded;
  }
  const loaded =
    (jsIsModule && (await tryImport(file, '.js'))) ||
    (await tryImport(file, '.mjs')) ||
    tryRequire(require, file, '.cjs') ||
    (await tryTypeScript(loader, file));
  if (loaded) return loaded;
  // Lambda's last resort: resolve the name as a package from the task root (fails as Lambda's does).
  return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts'];

/**
 * Emulator addition. tsx is registered only here, once a TypeScript handler file exists, so JavaScript
 * handlers load exactly as on Lambda. tsx compiles an ESM-syntax .ts file in a CommonJS package to
 * CommonJS, so `import()` would hide its named exports behind `default`: require it instead, as its
 * package type says.
 */
async function tryTypeScript({ runtimeDir, require }: Loader, file: string): Promise<unknown> {
  if (!TYPESCRIPT_EXTENSIONS.some((extension) => existsSync(file + extension))) return undefined;
  await import(pathToFileURL(path.join(runtimeDir, 'register-typescript.mjs')).href);
  return (
    (typeIsModule(file, '.ts') ? await tryImport(file, '.ts') : tryRequire(require, file, '.ts')) ||
    (await tryImport(file, '.mts')) ||
    tryRequire(require, file, '.cts')
  );
}

function tryRequire(require: NodeJS.Require, file: string, extension = ''): unknown {
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
