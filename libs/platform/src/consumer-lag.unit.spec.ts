import { describe, expect, it } from '@jest/globals';
import type { Admin } from 'kafkajs';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { ConsumerLag, partitionLag } from './consumer-lag.js';

describe('partitionLag', () => {
  it('is the high watermark less the committed offset, or what the partition holds when nothing is committed', () => {
    expect(partitionLag({ partition: 0, committed: '7', low: '0', high: '10' })).toBe(3);
    expect(partitionLag({ partition: 0, committed: '10', low: '0', high: '10' })).toBe(0);
    expect(partitionLag({ partition: 0, committed: '-1', low: '4', high: '10' })).toBe(6);
    // A committed offset below the log start (retention deleted records) still counts from it, never negative.
    expect(partitionLag({ partition: 0, committed: '12', low: '0', high: '10' })).toBe(0);
  });
});

describe('ConsumerLag', () => {
  it('sets the lag of every partition of the consumed topics, labelled with the contract topic, and keeps it when the broker fails', async () => {
    let fail = false;
    const admin = {
      connect: async () => undefined,
      disconnect: async () => undefined,
      fetchOffsets: async () => {
        if (fail) throw new Error('broker down');
        return [{ topic: 'p.order.events', partitions: [{ partition: 0, offset: '3' }, { partition: 1, offset: '-1' }] }];
      },
      fetchTopicOffsets: async () => [
        { partition: 0, offset: '5', low: '0', high: '5' },
        { partition: 1, offset: '2', low: '0', high: '2' },
      ],
    } as unknown as Admin;
    const registry = new Registry();
    const lag = new ConsumerLag(registry, {
      admin,
      groupId: 'p.inventory-service',
      topics: () => ['p.order.events'],
      label: (topic) => topic.slice('p.'.length),
      intervalMs: 60_000,
      logger: pino({ level: 'silent' }),
    });
    const values = async () => (await registry.getSingleMetric('kafka_consumergroup_lag')!.get()).values.map((v) => [v.labels, v.value]);
    await lag.refresh();
    const measured = [
      [{ group: 'p.inventory-service', topic: 'order.events', partition: '0' }, 2],
      [{ group: 'p.inventory-service', topic: 'order.events', partition: '1' }, 2],
    ];
    expect(await values()).toEqual(measured);
    fail = true;
    await lag.refresh();
    expect(await values()).toEqual(measured);
    await lag.stop();
  });

  it('stop() cuts a measurement in flight short with the disconnect and resolves once it has ended', async () => {
    const steps: string[] = [];
    let answer: (value: unknown) => void = () => undefined;
    let asked: () => void = () => undefined;
    const fetching = new Promise<void>((resolve) => (asked = resolve));
    const admin = {
      connect: async () => undefined,
      disconnect: async () => {
        steps.push('disconnect');
        // As kafkajs does: a request in flight fails once its connection has closed, a moment later.
        setTimeout(() => {
          steps.push('request failed');
          answer(Promise.reject(new Error('Closed connection')));
        }, 20);
      },
      fetchOffsets: () => {
        asked();
        return new Promise((resolve) => (answer = resolve));
      },
      fetchTopicOffsets: async () => [],
    } as unknown as Admin;
    const lag = new ConsumerLag(new Registry(), {
      admin,
      groupId: 'g',
      topics: () => ['t'],
      label: (topic) => topic,
      intervalMs: 60_000,
      logger: pino({ level: 'silent' }),
    });
    lag.start();
    await fetching;
    await lag.stop();
    steps.push('stopped');
    expect(steps).toEqual(['disconnect', 'request failed', 'stopped']);
  });
});
