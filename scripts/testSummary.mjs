#!/usr/bin/env node
// Prints the test run's closing line, "N passed, N failed, N skipped", from
// vitest's JSON report, after naming every skipped suite/test (their titles
// carry the reason, e.g. no Electron binary on this machine) and then every
// failed one with the start of its message: CI keeps only the log's tail, so
// failures are printed last, right above the summary.
import { existsSync, readFileSync } from 'node:fs';

const reportPath = process.argv[2] ?? 'test-results/vitest.json';
if (!existsSync(reportPath)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const skipped = [];
for (const file of report.testResults ?? []) {
  for (const test of file.assertionResults ?? []) {
    if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') skipped.push(test.fullName);
  }
}
for (const name of skipped) console.log(`skipped: ${name}`);
for (const file of report.testResults ?? []) {
  const failures = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
  if (file.status === 'failed' && failures.length === 0) {
    console.log(`FAILED (file did not run): ${file.name}: ${firstLines(file.message)}`);
  }
  for (const test of failures) {
    console.log(`FAILED: ${test.fullName} (${file.name}): ${firstLines((test.failureMessages ?? []).join(' '))}`);
  }
}
// A file that failed to load has no assertion results but counts as a failure.
const brokenFiles = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
).length;
const failed = report.numFailedTests + brokenFiles;
console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped.length} skipped`);
process.exit(failed > 0 || report.numPassedTests === 0 ? 1 : 0);

function firstLines(text) {
  return String(text ?? '')
    .split('\n')
    .slice(0, 6)
    .join(' | ')
    .slice(0, 600);
}
