// Mutation testing: every check and every guard of what leaves this machine must be pinned by a
// test that states its contract. `npm run mutation` (a full run), or on a few files:
//   npx stryker run --mutate src/io/sanitize.ts
// Runs the unit tests only (vitest.mutation.config.ts); Stryker 9.x, which supports Node 20.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  checkers: [],
  mutate: [
    'src/checks/**/*.ts',
    'src/auth/callback-parser.ts',
    'src/atlassian/domains.ts',
    'src/atlassian/probes.ts',
    'src/io/sanitize.ts',
    'src/config/private-files.ts',
    'src/profiles/transaction.ts',
  ],
  // The unit tests need src/ and test/ only: never copy the build or earlier reports into a sandbox
  // (a rebuild running meanwhile made a copy fail).
  ignorePatterns: ['dist', 'reports', '.stryker-tmp*', 'coverage', '.bench', '*.tgz'],
  coverageAnalysis: 'perTest',
  // Not ignoreStatic: the module-level regexes and domain lists ARE the contract of sanitize.ts
  // and domains.ts. Each such "static" mutant re-runs the whole unit suite (a few seconds) — most
  // of a run's time, and worth it; hence the "slow" warning is off.
  ignoreStatic: false,
  warnings: { slow: false },
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Only the score table and the mutants that survived (or that no test reaches).
  clearTextReporter: { reportTests: false, logTests: false },
  // `break` is for all files together; scripts/mutation-check.mjs holds every file to it too.
  thresholds: { high: 95, low: 90, break: 90 },
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  incremental: false,
};
