#!/usr/bin/env node
// npm test: brings up (or finds) Kafka and PostgreSQL, builds, then runs every project's lint, typecheck and tests
// through Nx, and closes with one line for the whole workspace: "N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { infraDown, infraUp, nx, nxEnv, root, run } from './run.mjs';

const resultsDir = path.join(root, '.local/test-results');
fs.rmSync(resultsDir, { recursive: true, force: true });

const infra = process.env.KAFKA_BROKERS && process.env.DATABASE_URL ? null : infraUp();
const env = {
  ...nxEnv,
  TEST_RESULTS_DIR: resultsDir,
  ...(infra ? { KAFKA_BROKERS: infra.kafkaBrokers.join(','), DATABASE_URL: infra.databaseUrl } : {}),
};

let code = await run(nx, ['run-many', '-t', 'build', '--outputStyle=static'], env);
if (code === 0) {
  code = await run(nx, ['run-many', '-t', 'lint', 'typecheck', 'test', '--outputStyle=static', '--parallel=3', ...process.argv.slice(2)], env);
}
// The message pacts (npm run test:contracts): every consumer writes its pact first, then every provider verifies.
for (const target of ['pact:consumer', 'pact:provider']) {
  if (code !== 0) break;
  code = await run(nx, ['run-many', '-t', target, '--outputStyle=static', '--parallel=1'], { ...env, PACT_DO_NOT_TRACK: 'true' });
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const f of fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : []) {
  const r = JSON.parse(fs.readFileSync(path.join(resultsDir, f), 'utf8'));
  passed += r.passed;
  failed += r.failed;
  skipped += r.skipped;
}
if (infra?.startedKafka || infra?.startedPostgres) infraDown();
if (code !== 0 && failed === 0) failed = 1; // a build, lint or typecheck failure counts too
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code);
