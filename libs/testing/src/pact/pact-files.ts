import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../infra.js';

/** Where consumers write their pacts and providers read them: `<repo>/pacts`, committed with the code. */
export function pactDirectory(): string {
  return path.join(repoRoot(), 'pacts');
}

interface PactFileParticipants {
  consumer?: { name?: unknown };
  provider?: { name?: unknown };
}

/**
 * The pact files in `dir` that name `provider` as their provider. None is an error rather than an empty list: a
 * provider verification with nothing to verify would pass without checking anything.
 */
export function pactFilesFor(provider: string, dir = pactDirectory()): string[] {
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort() : [];
  const files = names
    .map((name) => path.join(dir, name))
    .filter((file) => (JSON.parse(fs.readFileSync(file, 'utf8')) as PactFileParticipants).provider?.name === provider);
  if (files.length === 0) {
    throw new Error(`no pact in ${dir} names ${provider} as its provider: run the consumers' pact:consumer scripts first`);
  }
  return files;
}
