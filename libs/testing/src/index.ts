export { testInfra, repoRoot, type TestInfra } from './infra.js';
export { createTestDatabase, uniqueSuffix, withDatabase, type TestDatabase } from './database.js';
export {
  testKafka,
  withAdmin,
  createTestTopics,
  createTopicNamespace,
  createTopicsReady,
  defaultKafkaTarget,
  type KafkaTarget,
  type TestTopics,
  type TopicNamespace,
} from './kafka.js';
export { aclsInForce, createServiceAcls } from './kafka-acls.js';
export { eventually } from './wait.js';
export {
  startPrivateKafka,
  startPrivatePostgres,
  freePortPair,
  type KafkaSaslMechanism,
  type PrivateKafka,
  type PrivatePostgres,
} from './private-infra.js';
export { spawnService, troublesIn, type ServiceProcess } from './service-process.js';
export { readCompose, composeProblems, composeInfraProblems, pinnedKafkaVersion } from './compose.js';
export {
  notificationKinds,
  startSystem,
  TopicRecorder,
  type NotificationView,
  type RunningSystem,
  type ServiceKey,
  type SystemAnswer,
} from './system.js';
export {
  ANSWERED_LINE,
  answeredLine,
  causeOf,
  EXAMPLE_TIME,
  exampleId,
  INVENTORY_MESSAGES,
  ISO_INSTANT,
  lineAnswer,
  MessageConsumerContract,
  ORDER_MESSAGES,
  pactDirectory,
  pactFilesFor,
  PACT_EXAMPLE,
  pactMismatches,
  verifyMessageProvider,
  type Delivery,
  type EnvelopeOfType,
  type EnvelopeProducer,
  type MessageExpectation,
  type MessageProviderVerification,
  type PactMismatch,
} from './pact/index.js';
export { deciderSpec, type Decider } from './decider-spec.js';
export { fileFixture } from './file-fixture.js';
export { httpRequest, okBody, TEST_AUTH_SECRET, testToken, type HttpAnswer, type HttpOptions } from './auth.js';
export { deadLetterReason, ServiceUnderTest, type ReceivedRecord, type ServiceUnderTestOptions } from './service-under-test.js';
export { parseMetrics, samplesOf, scrapeMetrics, type MetricSample } from './metrics.js';
export { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';
