// Publishes the schemas of the BUILT contracts not published yet to libs/contracts/published (run
// `npm run contracts:publish`, which builds first). Published files are never overwritten; nothing is written while
// the contracts break a published schema.
import { fileURLToPath } from 'node:url';
import { publishSchemas } from '../dist/index.js';

const dir = fileURLToPath(new URL('../published/', import.meta.url));
const report = publishSchemas(dir);

if (report.violations.length > 0) {
  console.error('Refusing to publish: the contracts break published schemas (BACKWARD_TRANSITIVE).');
  for (const violation of report.violations) console.error(`  ${violation.message}`);
  console.error('Ship a breaking change as a new dataversion with an upcaster (evolveMessage); never edit a published one.');
  process.exitCode = 1;
} else {
  for (const file of report.written) console.log(`published ${file}`);
  for (const file of report.kept) {
    console.log(`kept ${file}: the current schema differs compatibly; published schemas are never overwritten`);
  }
  if (report.written.length === 0) console.log('nothing new to publish');
}
