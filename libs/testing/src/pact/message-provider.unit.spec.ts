import { describe, expect, it } from '@jest/globals';
import { pactMismatches } from './message-provider.js';

// Shaped as pact-core 19 rejects a failed verification: the verifier's JSON report as the error message.
const report = {
  errors: [
    {
      interaction: 'Verifying a pact between order-service and inventory-service - a StockReserved event',
      mismatch: {
        interactionId: '',
        mismatches: [
          { actual: '["sku"]', expected: '["orderId","sku"]', mismatch: 'Actual map is missing the following keys: orderId', path: '$.data', type: 'BodyMismatch' },
          { actual: '', expected: 'inventory.events', key: 'topic', mismatch: "Expected message metadata 'topic' but was missing", type: 'MetadataMismatch' },
        ],
        type: 'mismatches',
      },
    },
    { interaction: 'Verifying a pact between a and b - c', mismatch: { message: 'Request to provider failed', type: 'error' } },
  ],
  result: false,
};

describe('pactMismatches', () => {
  it('lists every mismatch of the report with its interaction and where it is', () => {
    expect(pactMismatches(new Error(JSON.stringify(report)))).toEqual([
      {
        interaction: 'Verifying a pact between order-service and inventory-service - a StockReserved event',
        path: '$.data',
        mismatch: 'Actual map is missing the following keys: orderId',
      },
      {
        interaction: 'Verifying a pact between order-service and inventory-service - a StockReserved event',
        path: 'metadata.topic',
        mismatch: "Expected message metadata 'topic' but was missing",
      },
      { interaction: 'Verifying a pact between a and b - c', path: '', mismatch: 'Request to provider failed' },
    ]);
  });

  it('refuses an error that is not a verification report, so a test cannot pass on an unrelated failure', () => {
    expect(() => pactMismatches(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toThrow(/not a Pact verification report/);
    expect(() => pactMismatches(new Error('{"result":false}'))).toThrow(/not a Pact verification report/);
    expect(() => pactMismatches(undefined)).toThrow(/not a Pact verification report/);
  });
});
