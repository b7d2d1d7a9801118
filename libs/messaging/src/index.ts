export { createKafka, type KafkaSettings } from './kafka.js';
export type { OutgoingMessage } from './outgoing-message.js';
export { KafkaPublisher, type KafkaPublisherOptions } from './kafka-publisher.js';
export { headersToRecord, type BatchHandler, type ConsumedMessage } from './consumed-message.js';
export { GROUP_RECOVERY_DEFAULTS, KafkaBatchConsumer, type KafkaBatchConsumerOptions } from './kafka-batch-consumer.js';
export { DEFAULT_RETRY_POLICY, backoffDelay, type RetryPolicy } from './backoff.js';
export {
  NonRetryableError,
  defaultClassifyError,
  describeFailure,
  isInfrastructureError,
  type ErrorClass,
  type ErrorClassifier,
} from './errors.js';
export { deadLetterOf, type Failure, type SourceRecord } from './dead-letter.js';
export { deadLetterFromRecord, readDeadLetters, redriveDeadLetter, type DeadLetter, type ReadTopicOptions } from './dead-letters.js';
export type { DeadLetterReasonClass } from './metrics.js';
export {
  BatchEventPattern,
  type BatchEventPatternOptions,
  KAFKA_BATCH_TRANSPORT,
  KafkaBatchContext,
  KafkaBatchErrorFilter,
  KafkaBatchTransport,
  type KafkaBatchTransportOptions,
} from './nest/kafka-batch.transport.js';
export { ConsumeOnce, InboxPruner, refusalOf, type ConsumeSummary, type MessageConsumer } from './consume-once.js';
export { contextOfHeaders, contextOfMessage, inProcessSpans, startSendSpans, type TracedSend } from './tracing.js';
