import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'web/**/*.test.ts'],
    // Long randomised runs over real sockets: `npm run test:soak`, not part of `npm test`.
    exclude: [...configDefaults.exclude, 'test/soak/**'],
    // Builds the example database every test server copies, and removes it after the run.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
