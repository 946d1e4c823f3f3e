import { defineConfig } from 'vitest/config';

/** Benchmarks: `npx vitest run --config bench/vitest.config.ts` (not part of npm test). */
export default defineConfig({
  test: {
    include: ['bench/**/*.bench.ts'],
    testTimeout: 600_000,
  },
});
