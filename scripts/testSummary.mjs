#!/usr/bin/env node
// Prints the test run's closing line, "N passed, N failed, N skipped", from
// vitest's JSON report, after naming every skipped suite/test (their titles
// carry the reason, e.g. no Electron binary on this machine).
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
// A file that failed to load has no assertion results but counts as a failure.
const brokenFiles = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
).length;
const failed = report.numFailedTests + brokenFiles;
console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped.length} skipped`);
process.exit(failed > 0 || report.numPassedTests === 0 ? 1 : 0);
