import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { PeriodicTask } from './periodic-task.js';

export interface ConsumerLagOptions {
  /** an admin client of its own, without long retries (connected on the first refresh, disconnected by `stop`) */
  admin: Admin;
  /** the consumer group whose committed offsets are measured */
  groupId: string;
  /** the real topics the group consumes, read at each refresh (the consumer knows them once it is listening) */
  topics: () => readonly string[];
  /** the label of a real topic: the contract's name (without KAFKA_TOPIC_PREFIX) */
  label: (topic: string) => string;
  intervalMs: number;
  logger: Logger;
}

/** Offsets of one partition as the admin API answers them (strings of integers). */
export interface PartitionOffsets {
  readonly partition: number;
  /** the group's committed offset, `-1` when it has committed nothing */
  readonly committed: string;
  readonly low: string;
  readonly high: string;
}

/**
 * Records the group still has to consume on a partition: its high watermark less the committed offset; with nothing
 * committed, everything the partition still holds (the consumer starts from the beginning).
 */
export function partitionLag({ committed, low, high }: PartitionOffsets): number {
  const end = BigInt(high);
  const from = BigInt(committed) < 0n ? BigInt(low) : BigInt(committed);
  return Number(end > from ? end - from : 0n);
}

/**
 * `kafka_consumergroup_lag{group,topic,partition}`, refreshed every `intervalMs` from the group's committed offsets and
 * the topics' high watermarks (kafkajs admin `fetchOffsets`, `fetchTopicOffsets`), so a scrape costs no broker round trip.
 * A failed refresh keeps the last values and is logged once until a refresh succeeds again.
 */
const STOP_WAIT_MS = 5_000;

export class ConsumerLag {
  private readonly gauge: Gauge<'group' | 'topic' | 'partition'>;
  private readonly refreshes: PeriodicTask;
  private connected = false;
  private failing = false;

  constructor(registry: Registry, private readonly options: ConsumerLagOptions) {
    this.gauge = new Gauge({
      name: 'kafka_consumergroup_lag',
      help: "Records of a consumed topic partition not yet committed by the service's consumer group (high watermark - committed offset)",
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    });
    this.refreshes = new PeriodicTask({ run: () => this.refresh(), intervalMs: options.intervalMs, firstDelayMs: 0, unref: true });
  }

  start(): void {
    this.refreshes.start();
  }

  /**
   * Stops measuring: a measurement in flight is cut short by the admin's disconnect, and has ended when this resolves
   * (waited for up to STOP_WAIT_MS, in case a request outlives its connection).
   */
  async stop(): Promise<void> {
    const refreshesEnded = this.refreshes.stop();
    await this.options.admin.disconnect().catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([refreshesEnded, new Promise((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(timer);
    this.connected = false;
  }

  /** One refresh now (the timer calls it; tests may too). */
  async refresh(): Promise<void> {
    const { admin, groupId, logger } = this.options;
    const topics = [...this.options.topics()];
    if (topics.length === 0) return;
    try {
      if (!this.connected) {
        await admin.connect();
        this.connected = true;
      }
      const [committed, ends] = await Promise.all([
        admin.fetchOffsets({ groupId, topics }),
        Promise.all(topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(topic)] as const)),
      ]);
      const samples = ends.flatMap(([topic, partitions]) => {
        const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
        return partitions.map((p) => ({
          labels: { group: groupId, topic: this.options.label(topic), partition: String(p.partition) },
          value: partitionLag({ partition: p.partition, committed: done.find((d) => d.partition === p.partition)?.offset ?? '-1', low: p.low, high: p.high }),
        }));
      });
      this.gauge.reset();
      for (const { labels, value } of samples) this.gauge.set(labels, value);
      if (this.failing) logger.info('consumer lag is measured again');
      this.failing = false;
    } catch (error) {
      if (this.refreshes.stopped) return;
      if (!this.failing) logger.warn({ err: error }, 'consumer lag could not be measured; the last values are kept');
      this.failing = true;
      // A fresh connection next time: kafkajs keeps a broken connection's state.
      if (this.connected) await admin.disconnect().catch(() => undefined);
      this.connected = false;
    }
  }

}
