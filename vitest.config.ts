import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker-thread Lambda environments take ~200 ms to start; real-socket tests need headroom on a
    // loaded 2-core CI machine. Behaviour never depends on these: they only bound a hung test.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
