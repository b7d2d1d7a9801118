const preset = require('../../jest.preset.cjs')(__dirname);

// The pact specs under test/pact run only from the pact:consumer and pact:provider scripts, which set PACT_RUN:
// `npm run test:contracts` runs every consumer first (they write <repo>/pacts), then every provider (they read them).
const pactRun = Boolean(process.env.PACT_RUN);

module.exports = {
  ...preset,
  testPathIgnorePatterns: pactRun ? ['/node_modules/'] : ['/node_modules/', '/test/pact/'],
  ...(pactRun && {
    // @pact-foundation/pact requires ESM-only packages: its own copies of https-proxy-agent and agent-base (nested
    // under it) and proxy-agent-negotiate. They are compiled to CommonJS like @nestjs; the lookbehind keeps the
    // nested copies from being ignored by their second `/node_modules/`.
    transformIgnorePatterns: [
      '(?<!@pact-foundation/pact)/node_modules/(?!(@nestjs|@event-driven-io|uuid|proxy-agent-negotiate)/|@pact-foundation/pact/node_modules/)',
    ],
  }),
};
