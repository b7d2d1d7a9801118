// Writes each Jest run's totals to .local/test-results/ so `npm test` can print one closing line for the whole
// workspace ("N passed, N failed") after Nx has run every project.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }
  onRunComplete(_contexts, results) {
    const dir = process.env.TEST_RESULTS_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const project = path.relative(path.resolve(__dirname, '../..'), this.rootDir).replace(/[\\/]/g, '__') || 'root';
    // One file per project and npm script: a project's pact runs must not overwrite its `test` counts.
    const script = process.env.npm_lifecycle_event;
    const name = script && script !== 'test' ? `${project}.${script.replace(/[^a-z0-9-]/gi, '_')}` : project;
    fs.writeFileSync(
      path.join(dir, `${name}.json`),
      JSON.stringify({
        project: name,
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
        suites: results.numTotalTestSuites,
      }),
    );
  }
}
module.exports = SummaryReporter;
