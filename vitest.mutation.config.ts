/**
 * The tests Stryker runs for every mutant (see stryker.config.mjs): the fast, pure unit tests only.
 * No globalSetup — no Secret Service, no browser, no built CLI — so one mutant costs a second or so.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 10_000,
    hookTimeout: 10_000,
    reporters: ['default'],
  },
});
