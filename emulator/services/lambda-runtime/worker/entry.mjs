/**
 * The worker entry used only when the runtime cannot be bundled (see ../worker-bundle.ts): workers do
 * not inherit the parent's loader hooks, so tsx is registered here, before the runtime's own TypeScript
 * loads. Handlers then run with tsx active whatever their language.
 */
await import('./register-typescript.mjs');
await import('./main.ts');
