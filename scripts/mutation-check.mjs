#!/usr/bin/env node
// After `stryker run`: the score of every mutated file (Stryker's own threshold is for all files
// together), from its JSON report. Fails when any file is under the break threshold, naming it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = (await import(new URL('../stryker.config.mjs', import.meta.url))).default;
const floor = config.thresholds.break;
let report;
try {
  report = JSON.parse(readFileSync(`${root}reports/mutation/mutation.json`, 'utf8'));
} catch (error) {
  process.stderr.write(`No mutation report to check (${error.message}): run \`npx stryker run\` first.\n`);
  process.exit(1);
}
let failed = 0;
const rows = Object.entries(report.files).map(([file, { mutants }]) => {
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length;
  const detected = count('Killed', 'Timeout');
  const valid = detected + count('Survived', 'NoCoverage');
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  if (score < floor) failed += 1;
  return `${score < floor ? '✖' : '✔'} ${score.toFixed(2).padStart(6)} %  ${file.replace(root, '')}  (${detected}/${valid})`;
});
process.stdout.write(`Mutation score per file (floor ${floor} %):\n${rows.join('\n')}\n`);
if (failed) {
  process.stderr.write(
    `${failed} file${failed === 1 ? ' is' : 's are'} under ${floor} %: add tests that state the contract the surviving mutants break (see the clear-text report above).\n`,
  );
  process.exit(1);
}
