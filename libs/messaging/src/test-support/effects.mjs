// The observable effect of the integration tests, shared by the in-process tests and the crash-test child process:
// each BackInStock adds `available` to its SKU's total, guarded by an inbox row in the same transaction, which is
// how the services make an at-least-once delivery an exactly-once effect.

export const EFFECTS_SCHEMA = `
  CREATE TABLE inbox (message_id uuid PRIMARY KEY, topic text NOT NULL, "partition" int NOT NULL, "offset" bigint NOT NULL);
  CREATE TABLE totals (sku text PRIMARY KEY, total bigint NOT NULL);
  CREATE TABLE deliveries (message_id uuid NOT NULL, delivered_at timestamptz NOT NULL DEFAULT clock_timestamp());
`;

/** Records that messages were delivered, outside any transaction: redeliveries show up here, not in the effect. */
export async function recordDeliveries(pool, messages) {
  await pool.query('INSERT INTO deliveries (message_id) SELECT unnest($1::uuid[])', [messages.map((m) => m.envelope.id)]);
}

/**
 * Applies a batch in one transaction; a message whose id is already in the inbox has no effect. `beforeCommit` runs
 * inside the open transaction (the crash test kills the process there).
 */
export async function applyBatch(pool, messages, { beforeCommit } = {}) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const m of messages) {
      const inserted = await client.query(
        'INSERT INTO inbox (message_id, topic, "partition", "offset") VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [m.envelope.id, m.topic, m.partition, m.offset],
      );
      if (inserted.rowCount === 1) {
        await client.query(
          'INSERT INTO totals (sku, total) VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE SET total = totals.total + $2',
          [m.envelope.data.sku, m.envelope.data.available],
        );
      }
    }
    if (beforeCommit) await beforeCommit();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function readEffects(pool) {
  const inbox = await pool.query('SELECT count(*)::int AS n FROM inbox');
  const totals = await pool.query('SELECT sku, total::int AS total FROM totals ORDER BY sku');
  const deliveries = await pool.query('SELECT count(*)::int AS n, count(DISTINCT message_id)::int AS d FROM deliveries');
  return {
    handled: inbox.rows[0].n,
    totals: Object.fromEntries(totals.rows.map((r) => [r.sku, r.total])),
    deliveries: deliveries.rows[0].n,
    distinctDelivered: deliveries.rows[0].d,
  };
}
