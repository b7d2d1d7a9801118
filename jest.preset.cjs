// Shared Jest preset. @swc/jest compiles TypeScript (and the ESM-only @nestjs packages) to CommonJS, which is
// ~4x faster than type-checking ts-jest; type errors are caught by each project's `typecheck` target instead.
const path = require('node:path');

/** @param {string} projectDir */
module.exports = function preset(projectDir) {
  return {
    rootDir: projectDir,
    testEnvironment: 'node',
    transform: {
      '^.+\\.(t|j|mj)s$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    // ESM-only packages must be compiled to CommonJS too: @nestjs, jose, and what @pact-foundation/pact requires (its
    // own nested copies of https-proxy-agent and agent-base, and proxy-agent-negotiate). The lookbehind keeps the
    // nested copies from being ignored by their second `/node_modules/`.
    transformIgnorePatterns: [
      '(?<!@pact-foundation/pact)/node_modules/(?!(@nestjs|@event-driven-io|uuid|proxy-agent-negotiate|jose)/|@pact-foundation/pact/node_modules/)',
    ],
    // Message pacts (test/pact/) run only from the pact:consumer and pact:provider scripts, which set PACT_RUN:
    // `npm run test:contracts` runs every consumer first (they write <repo>/pacts), then every provider (they read them).
    testPathIgnorePatterns: process.env.PACT_RUN ? ['/node_modules/'] : ['/node_modules/', '/test/pact/'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    moduleNameMapper: {
      '^@fulfillment/([a-z0-9-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
      '^@fulfillment/([a-z0-9-]+)/testing$': path.join(__dirname, 'libs/$1/src/testing/index.ts'),
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    reporters: ['default', path.join(__dirname, 'infra/local/jest-summary-reporter.cjs')],
    testTimeout: 60_000,
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  };
};
