import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exampleId } from './example-id.js';
import { pactFilesFor } from './pact-files.js';

let dir: string;
const pact = (consumer: string, provider: string) => ({ consumer: { name: consumer }, provider: { name: provider }, messages: [] });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacts-'));
  fs.writeFileSync(path.join(dir, 'order-service-inventory-service.json'), JSON.stringify(pact('order-service', 'inventory-service')));
  fs.writeFileSync(path.join(dir, 'notification-service-inventory-service.json'), JSON.stringify(pact('notification-service', 'inventory-service')));
  fs.writeFileSync(path.join(dir, 'inventory-service-order-service.json'), JSON.stringify(pact('inventory-service', 'order-service')));
  fs.writeFileSync(path.join(dir, 'README.md'), '# not a pact');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pactFilesFor', () => {
  it("finds the provider's pacts by the provider named inside them", () => {
    expect(pactFilesFor('inventory-service', dir)).toEqual([
      path.join(dir, 'notification-service-inventory-service.json'),
      path.join(dir, 'order-service-inventory-service.json'),
    ]);
  });

  it('fails for a provider no pact names, rather than letting a verification of nothing pass', () => {
    expect(() => pactFilesFor('supplier-service', dir)).toThrow(/no pact in .* names supplier-service as its provider/);
    expect(() => pactFilesFor('order-service', path.join(dir, 'missing'))).toThrow(/no pact in/);
  });
});

describe('exampleId', () => {
  it('is a version-5 layout UUID, the same for the same names and different for others', () => {
    const id = exampleId('order-service', 'inventory-service', 'a StockReserved event');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(exampleId('order-service', 'inventory-service', 'a StockReserved event')).toBe(id);
    expect(exampleId('order-service', 'inventory-service', 'a StockReleased event')).not.toBe(id);
  });
});
