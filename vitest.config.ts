import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // After each test: no request to a vendor fake broke a documented vendor rule.
    setupFiles: ['test/support/vendor-rules.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A skipped or focused test is a defect, never a way to get green.
    allowOnly: false,
  },
});
