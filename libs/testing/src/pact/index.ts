export { exampleId } from './example-id.js';
export { PACT_EXAMPLE } from './examples.js';
export { pactDirectory, pactFilesFor } from './pact-files.js';
export { ANSWERED_LINE, answeredLine, causeOf, INVENTORY_MESSAGES, lineAnswer, ORDER_MESSAGES } from './shared-messages.js';
export {
  EXAMPLE_TIME,
  ISO_INSTANT,
  MessageConsumerContract,
  type Delivery,
  type EnvelopeOfType,
  type MessageExpectation,
} from './message-consumer.js';
export {
  pactMismatches,
  verifyMessageProvider,
  type EnvelopeProducer,
  type MessageProviderVerification,
  type PactMismatch,
} from './message-provider.js';
