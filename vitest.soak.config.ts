import { defineConfig } from 'vitest/config';

/** The soak tests (test/soak/): long randomised runs over real sockets, outside `npm test` (`npm run test:soak`). */
export default defineConfig({
  test: {
    include: ['test/soak/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 20_000,
  },
});
