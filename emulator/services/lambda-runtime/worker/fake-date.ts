/**
 * Replaces the global `Date` with one whose "now" is emulated: `new Date()`, `Date()` and `Date.now()`
 * read `now`; every other use is the real Date. The prototype is shared, so `instanceof Date`,
 * `Date.prototype` patches and subclasses keep working, and dates cross to other code unchanged.
 */
export function installFakeDate(now: () => number): void {
  const RealDate = Date;
  function EmulatedDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target);
  }
  Object.defineProperty(EmulatedDate, 'name', { value: 'Date' });
  Object.defineProperty(EmulatedDate, 'length', { value: 7 });
  EmulatedDate.prototype = RealDate.prototype;
  Object.assign(EmulatedDate, {
    now: () => Math.floor(now()),
    parse: RealDate.parse,
    UTC: RealDate.UTC,
  });
  Object.defineProperty(RealDate.prototype, 'constructor', { value: EmulatedDate, writable: true, configurable: true });
  globalThis.Date = EmulatedDate as unknown as DateConstructor;
}
