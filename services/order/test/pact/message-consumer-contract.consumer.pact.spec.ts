// The consumer-side helper refuses to record an expectation its consumer cannot handle. It is tested here rather than
// in libs/testing because only the pact runs of the services compile Pact's ESM-only dependencies (jest.config.cjs).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageConsumerContract } from '@fulfillment/testing';

let dir: string;
let contract: MessageConsumerContract;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacts-'));
  contract = await MessageConsumerContract.create('example-consumer', 'inventory-service', dir);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('MessageConsumerContract', () => {
  it('fails, and writes no pact, when the example lacks a field the published decoder requires', async () => {
    const consumed: unknown[] = [];
    await expect(
      contract.expect(
        { description: 'a BackInStock event without available', type: 'BackInStock', subject: 'SKU-1', data: (m) => ({ sku: m.like('SKU-1') }) },
        (envelope) => void consumed.push(envelope),
      ),
    ).rejects.toThrow(/the consumer's decoder refuses the example: .*available/);
    expect(consumed).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("fails, and writes no pact, when the consumer's own mapping fails on the example", async () => {
    await expect(
      contract.expect(
        {
          description: 'a BackInStock event',
          type: 'BackInStock',
          subject: 'SKU-1',
          data: (m) => ({ sku: m.like('SKU-1'), available: m.integer(3) }),
        },
        () => {
          throw new Error('the mapper cannot read it');
        },
      ),
    ).rejects.toThrow('the mapper cannot read it');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
