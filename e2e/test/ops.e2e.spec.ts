// npm run ops against the four services as processes: a command dead-lettered before its order existed is counted,
// listed, shown, re-driven once and handled; a projection is rebuilt with its progress; retention is pruned; a wrong
// service, a refusal and a service that does not answer are one line each and exit 1.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOPICS, createEnvelope } from '@fulfillment/contracts';
import { eventually, freePortPair, repoRoot, startSystem, testToken, type RunningSystem } from '@fulfillment/testing';

const execFileAsync = promisify(execFile);

describe('npm run ops', () => {
  let system: RunningSystem;
  let env: Record<string, string>;

  /** Runs the CLI as an operator would; resolves with its exit code and output. */
  const ops = async (args: string[], extraEnv: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(repoRoot(), 'infra/ops/ops.mjs'), ...args], { env: { ...env, ...extraEnv }, timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  beforeAll(async () => {
    system = await startSystem();
    env = {
      PATH: process.env.PATH ?? '',
      OPS_TOKEN: await testToken(),
      ORDER_URL: system.url('order'),
      INVENTORY_URL: system.url('inventory'),
      SUPPLIER_URL: system.url('supplier'),
      NOTIFICATION_URL: system.url('notification'),
    };
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('counts, lists, shows and re-drives a dead letter once, and the re-driven command is handled', async () => {
    const orderId = `ord-${randomUUID()}`;
    const meta = { source: 'support-desk', correlationId: randomUUID(), causationId: null };
    const cancel = createEnvelope('CancelOrder', { orderId, reason: 'came before the order' }, meta);
    await system.publish(TOPICS.orderCommands, cancel);

    const counted = await eventually(async () => {
      const run = await ops(['dlq', 'list']);
      return /order\s+order\.commands\s+1\s+dead letters, 1 not re-driven/.test(run.stdout) ? run : undefined;
    }, { timeoutMs: 60_000, what: 'the dead letter counted' });
    expect(counted.code).toBe(0);
    expect(counted.stdout).toMatch(/inventory\s+order\.events\s+0\s+dead letters/);

    const listed = await ops(['dlq', 'list', 'order', 'order.commands']);
    expect(listed.stdout).toContain('1 dead letter(s) of order on');
    const [, offset] = /^(0:\d+)\s+CancelOrder\s+.*order-not-found/m.exec(listed.stdout) ?? [];
    expect(offset).toBeDefined();

    const shown = await ops(['dlq', 'show', 'order', 'order.commands', offset!]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: cancel.id, type: 'CancelOrder', sourceTopic: 'order.commands', redrivenAt: null });

    // The order comes, for a SKU in stock: confirmed, so the command that came first can cancel it.
    const sku = `SKU-OPS-${randomUUID().slice(0, 8)}`;
    expect((await system.http('inventory', 'PUT', `/skus/${sku}`, { body: { backorderable: false } })).status).toBe(200);
    expect((await system.http('inventory', 'POST', `/skus/${sku}/adjustments`, { body: { delta: 5, reason: 'count' } })).status).toBe(202);
    await system.publish(TOPICS.orderCommands, createEnvelope('PlaceOrder', { orderId, customerId: 'cust-ops', lines: [{ sku, quantity: 1 }] }, meta));
    await eventually(async () => ((await system.http<{ status: string }>('order', 'GET', `/orders/${orderId}`)).body.status === 'confirmed' ? true : undefined), {
      what: 'the order confirmed',
    });

    const redriven = await ops(['dlq', 'redrive', 'order', 'order.commands']);
    expect(redriven).toMatchObject({ code: 0 });
    expect(redriven.stdout.trim()).toBe(`re-driven 1 (${offset}), already re-driven 0, not found 0`);
    await eventually(async () => ((await system.http<{ status: string }>('order', 'GET', `/orders/${orderId}`)).body.status === 'cancelled' ? true : undefined), {
      what: 'the order cancelled by the re-driven command',
    });
    const again = await ops(['dlq', 'redrive', 'order', 'order.commands', offset!, '0:999999']);
    expect(again.code).toBe(1);
    expect(again.stdout.trim()).toBe('re-driven 0, already re-driven 1, not found 1 (0:999999)');
  }, 180_000);

  it('rebuilds a projection with a progress bar, and prunes every service', async () => {
    const rebuilt = await ops(['rebuild', 'inventory', 'planning']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/^rebuilt planning on inventory: \d+ events$/m);
    expect(rebuilt.stderr).toMatch(/\[#+\]\s+100% \d+\/\d+ events of planning/);

    const pruned = await ops(['prune']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0])).toEqual(['order', 'inventory', 'supplier', 'notification']);
  }, 120_000);

  it('says in one line what went wrong, and exits 1', async () => {
    const nobody = await freePortPair();
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['dlq', 'list', 'warehouse'], {}, /^ops: unknown service "warehouse" \(one of order, inventory, supplier, notification\)$/],
      [['rebuild', 'order', 'planning'], {}, /^ops: order refused POST \/admin\/projections\/planning\/rebuild: 404 no projection named planning here/],
      [['dlq', 'list', 'order', 'supplier.commands'], {}, /^ops: order refused GET .*400 topic: must be a topic this service consumes/],
      [['prune', 'order'], { ORDER_URL: `http://127.0.0.1:${nobody}` }, new RegExp(`^ops: order does not answer at http://127\\.0\\.0\\.1:${nobody} \\(ECONNREFUSED\\)$`)],
      [['prune', 'order'], { OPS_TOKEN: await testToken({ scopes: ['orders:read'] }) }, /^ops: order refused POST \/admin\/prune: 403 /],
      [['dlq', 'purge'], {}, /^ops: unknown command "dlq purge"/],
    ];
    for (const [args, extraEnv, expected] of cases) {
      const run = await ops(args, extraEnv);
      expect({ args, code: run.code, lines: run.stderr.trim().split('\n').length }).toEqual({ args, code: 1, lines: 1 });
      expect(run.stderr.trim()).toMatch(expected);
    }
  }, 120_000);
});
