export {
  ALL_DLQ_TOPICS,
  ALL_TOPICS,
  DLQ_HEADERS,
  REDRIVE_HEADERS,
  dlqTopicOf,
  isTopic,
  SERVICE_NAMES,
  TOPIC_INFO,
  TOPICS,
  type DlqTopic,
  type ServiceName,
  type Topic,
  type TopicInfo,
} from './topics.js';
export { ContractViolationError } from './issues.js';
export {
  defineMessage,
  evolveMessage,
  registryOf,
  type ContractRegistry,
  type DataSchema,
  type MessageContract,
  type MessageKind,
  type RegistryOf,
  type VersionedSchemas,
} from './message.js';
export {
  ORDER_STATUSES,
  orderLineViewSchema,
  orderStatusSchema,
  SHIPPING_POLICIES,
  shippingPolicySchema,
  type OrderLineView,
  type OrderStatus,
  type ShippingPolicy,
} from './order.events.js';
export { PURCHASE_ORDER_REASONS } from './supplier.events.js';
export {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  notificationChannelSchema,
  notificationKindSchema,
  type NotificationChannel,
  type NotificationKind,
} from './notification.events.js';
export {
  CONTRACT_REGISTRY,
  isMessageType,
  MESSAGE_TYPES,
  messageKey,
  messageTopic,
  schemas,
  TOPIC_DESCRIPTIONS,
  type MessageData,
  type MessageType,
  type TopicDescription,
} from './registry.js';
export {
  createEnvelope,
  encodeEnvelope,
  envelopeSchema,
  incomingEnvelopeSchema,
  isJsonMediaType,
  MAX_MESSAGE_BYTES,
  messageIdentity,
  type AnyEnvelope,
  type Envelope,
  type EnvelopeMeta,
  type EnvelopeOf,
} from './envelope.js';
export {
  createMessageDecoder,
  decodeMessage,
  decodeWanted,
  type DecodeResult,
  type MessageDecoder,
  type SelectiveDecodeResult,
  type SkippedRecord,
  type DecodeResultOf,
  type MessageContext,
  type MessageHeaders,
  type MessageValue,
} from './decode.js';
export { readCloudEvent, type ContentMode, type RawCloudEvent } from './kafka-binding.js';
export { findUnstorable, unstorable } from './storable.js';
export { serviceKafkaAcls, type KafkaAcl } from './kafka-acls.js';
export { contractSnapshot, type ContractSnapshot, type JsonSchema, type MessageSnapshot } from './snapshot.js';
export {
  ASYNCAPI_VERSION,
  buildAsyncApiDocument,
  channelIdOf,
  DLQ_PARTITIONS,
  TOPIC_PARTITIONS,
  type AsyncApiChannel,
  type AsyncApiDocument,
  type AsyncApiMessage,
  type AsyncApiOperation,
  type AsyncApiOptions,
} from './asyncapi/asyncapi-document.js';
export {
  findIncompatibilities,
  type Incompatibility,
  type IncompatibilityRule,
} from './evolution/schema-compatibility.js';
export {
  checkEvolution,
  unpublishedSchemas,
  type EvolutionRule,
  type EvolutionViolation,
  type PublishedSchemas,
  type UnpublishedSchema,
} from './evolution/evolution-gate.js';
export {
  publishedFileOf,
  publishSchemas,
  readPublishedSchemas,
  serializeSchema,
  type PublishReport,
} from './evolution/published-schemas.js';
export { ALL_SCOPES, SCOPES, STAFF_SCOPES, type Scope } from './scopes.js';
