import { NotEmulatedError } from './signals.ts';

/**
 * `obj` behind a Proxy whose unknown string properties throw NotEmulatedError naming them
 * (`util.dynamodb`, `extensions.evictFromApiCache`), instead of being a silent `undefined`.
 * Symbols and `then` (probed by await and module interop) stay undefined.
 */
export function strict<T extends object>(name: string, obj: T): T {
  return new Proxy(obj, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || key === 'then' || key === '__esModule' || key in target) return Reflect.get(target, key, receiver) as unknown;
      throw new NotEmulatedError(`${name}.${key}`);
    },
  });
}
