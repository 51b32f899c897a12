#!/usr/bin/env node
// Thin shim: the real entry is the bundled dist/cli.js (built by `npm run build`, run by `npm ci`).
import('../dist/cli.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('kendis-jira is not built yet. Run `npm ci` (or `npm run build`) in the project folder first.\n');
    process.exit(1);
  }
  throw error;
});
