import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { scrapeGauge, sharedPerScrape } from './scrape-metrics.js';

describe('scrapeGauge', () => {
  it('shows what the read returns at each scrape, drops label sets that are gone, and keeps the last values when a read fails', async () => {
    const registry = new Registry();
    const reads: (() => Promise<{ labels: { sku: string }; value: number }[]>)[] = [
      async () => [{ labels: { sku: 'a' }, value: 1 }, { labels: { sku: 'b' }, value: 2 }],
      async () => [{ labels: { sku: 'b' }, value: 3 }],
      async () => {
        throw new Error('database down');
      },
    ];
    scrapeGauge(registry, { name: 'g', help: 'h', labelNames: ['sku'], read: () => reads.shift()!(), logger: pino({ level: 'silent' }) });
    const values = async () => (await registry.getSingleMetric('g')!.get()).values.map((v) => [v.labels.sku, v.value]);
    expect(await values()).toEqual([['a', 1], ['b', 2]]);
    expect(await values()).toEqual([['b', 3]]);
    expect(await values()).toEqual([['b', 3]]);
  });
});

describe('sharedPerScrape', () => {
  it('runs the read once for the calls of one scrape and again after a failure', async () => {
    let calls = 0;
    let fail = true;
    const read = sharedPerScrape(async () => {
      calls++;
      if (fail) throw new Error('no');
      return calls;
    }, 60_000);
    await expect(read()).rejects.toThrow('no');
    fail = false;
    expect(await Promise.all([read(), read()])).toEqual([2, 2]);
    expect(calls).toBe(2);
  });
});
