// Prints one plain closing line, `N passed, N failed, N skipped`, after jest's own summary,
// so any tool that reads a run's last line can tell how many tests ran.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests: p, numFailedTests: f, numPendingTests: s, numTodoTests: t } = results;
    process.stderr.write(`\n${p} passed, ${f} failed${s + t > 0 ? `, ${s + t} skipped` : ''}\n`);
  }
}
module.exports = SummaryReporter;
