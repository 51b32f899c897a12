#!/usr/bin/env node
// Thin shim: the real entry is the bundled dist/cli.js (built by `npm run build`, and before packing).
// `--version` is answered here without loading the CLI: it is what scripts call most.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  // --debug: stack traces through the bundle's source maps name src/…ts lines. Enabled before the
  // bundle loads (Node reads a file's map at load time); off otherwise, so start-up pays nothing.
  if (args.includes('--debug')) process.setSourceMapsEnabled(true);
  await import('../dist/cli.js').catch((error) => {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
      process.stderr.write('kendis-jira is not built yet. Run `npm run build` in the project folder first (`npm test` and `npm run sandbox` build it too).\n');
      process.exit(1);
    }
    throw error;
  });
}
