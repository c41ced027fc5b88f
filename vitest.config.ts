import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Worker-thread Lambda environments take ~200 ms to start; real-socket tests need headroom on a
    // loaded 2-core CI machine. Behaviour never depends on these: they only bound a hung test.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/scenarios/**'], sequence: { groupOrder: 0 } } },
      // The bundled patterns' scenarios run the example app at compressed time, where a loaded
      // machine's real milliseconds read as emulated seconds: they run after everything else, one
      // file at a time, so no other test competes for the two cores.
      { extends: true, test: { name: 'scenarios', include: ['test/scenarios/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
