import { Counter, Histogram, type Registry } from 'prom-client';

/** Why a record went to the DLQ, as a bounded label set. */
export type DeadLetterReasonClass = 'invalid' | 'rejected' | 'retries-exhausted';

export interface ConsumerMetrics {
  consumed(topic: string, count: number): void;
  deadLettered(topic: string, reasonClass: DeadLetterReasonClass): void;
  retried(topic: string, kind: 'message' | 'infrastructure'): void;
  batchDuration(topic: string, seconds: number): void;
}

const noMetrics: ConsumerMetrics = {
  consumed: () => undefined,
  deadLettered: () => undefined,
  retried: () => undefined,
  batchDuration: () => undefined,
};

/**
 * Consumer metrics on the given registry, labelled by consumer group. A service with several consumers shares one
 * registry, so an already registered metric is reused instead of registered twice (prom-client would throw).
 */
export function createConsumerMetrics(registry: Registry | undefined, groupId: string): ConsumerMetrics {
  if (!registry) return noMetrics;
  const consumed = counter(registry, 'messaging_messages_consumed_total', 'Records consumed and committed', [
    'group',
    'topic',
  ]);
  const deadLettered = counter(registry, 'messaging_messages_dead_lettered_total', 'Records sent to a DLQ', [
    'group',
    'topic',
    'reason',
  ]);
  const retries = counter(registry, 'messaging_handler_retries_total', 'Handler retries after a failure', [
    'group',
    'topic',
    'kind',
  ]);
  const duration = histogram(registry, 'messaging_batch_duration_seconds', 'Time to handle and commit one chunk', [
    'group',
    'topic',
  ]);
  return {
    consumed: (topic, count) => consumed.inc({ group: groupId, topic }, count),
    deadLettered: (topic, reason) => deadLettered.inc({ group: groupId, topic, reason }),
    retried: (topic, kind) => retries.inc({ group: groupId, topic, kind }),
    batchDuration: (topic, seconds) => duration.observe({ group: groupId, topic }, seconds),
  };
}

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function histogram<L extends string>(registry: Registry, name: string, help: string, labelNames: L[]): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({
    name,
    help,
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
}
