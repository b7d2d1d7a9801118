// The operator console (SPEC 13) in real Chromium, over the four services as processes on real Kafka and PostgreSQL:
// backorders placed through the order API appear on the board; the SKU's queue shows them in FIFO order with their
// promised dates; the chart follows the queue as stock arrives; an order's timeline shows its events and what its
// customer was told; dead letters show their reasons and headers, and one re-driven from the page is handled. A wrong
// token, a token without the scopes, a service that does not answer and bad input each show what went wrong.
// Screenshots of every step: e2e/artifacts/console/.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOPICS, createEnvelope } from '@fulfillment/contracts';
import {
  eventually,
  freePortPair,
  httpRequest,
  okBody,
  repoRoot,
  spawnService,
  startSystem,
  testKafka,
  testToken,
  type NotificationView,
  type RunningSystem,
  type ServiceKey,
  type ServiceProcess,
} from '@fulfillment/testing';
import { chromium, type Browser, type Page } from 'playwright-core';

const DAY = 86_400_000;
const run = randomUUID().slice(0, 8);
const SKU = `CON-${run}`;
const STOCKED_SKU = `CON-STOCK-${run}`;
const artifacts = path.join(repoRoot(), 'e2e/artifacts/console');

interface OrderView {
  orderId: string;
  customerId: string;
  status: string;
  lines: { lineId: string; backordered: number; allocated: number; expectedAt: string | null }[];
}
interface DeadLetterListing {
  total: number;
  deadLetters: { partition: number; offset: string; type: string | null; id: string | null; reason: string | null; headers: Record<string, string>; redrivenAt: string | null }[];
}

interface BrowserGlobals {
  document: { querySelector(selector: string): { textContent: string | null } | null };
}

/** The console's way of showing an instant (services/console/src/client/format.ts `when`). */
const shownAt = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

describe('the operator console in Chromium', () => {
  let system: RunningSystem;
  let consoleApp: ServiceProcess;
  /** a console whose inventory and notification services do not answer */
  let degraded: ServiceProcess;
  let browser: Browser;
  let page: Page;
  let token: string;
  let step = 0;
  const orderIds: string[] = [];
  let purchaseOrderId: string;
  let promisedAt: string;

  const http = async <T>(service: ServiceKey, method: string, route: string, body?: unknown) =>
    okBody(await system.http<T>(service, method, route, { body }), `${method} ${service}${route}`);
  const shoot = async (name: string, on: Page = page) => {
    step += 1;
    await on.screenshot({ path: path.join(artifacts, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  const textOf = async (selector: string, on: Page = page) => ((await on.locator(selector).first().textContent({ timeout: 30_000 })) ?? '').trim();
  /** Waits until the element's text matches: pages re-render as data arrives (the board every 10 s). */
  const waitText = async (selector: string, expected: RegExp, on: Page = page) => {
    await on.waitForFunction(
      // Runs in the page (e2e code is compiled without the DOM's types).
      ([s, source, flags]) => new RegExp(source!, flags).test((globalThis as unknown as BrowserGlobals).document.querySelector(s!)?.textContent ?? ''),
      [selector, expected.source, expected.flags] as const,
      { timeout: 60_000 },
    );
    return textOf(selector, on);
  };
  const signIn = async (on: Page, withToken: string) => {
    await on.locator('#token').fill(withToken);
    await on.locator('#sign-in button[type=submit]').click();
  };
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    return context.newPage();
  };
  const settled = (orderId: string) =>
    eventually(async () => {
      const view = await http<OrderView>('order', 'GET', `/orders/${orderId}`);
      return view.status === 'pending' ? undefined : view;
    }, { timeoutMs: 60_000, what: `order ${orderId} answered by inventory` });

  beforeAll(async () => {
    fs.rmSync(artifacts, { recursive: true, force: true });
    fs.mkdirSync(artifacts, { recursive: true });
    system = await startSystem();
    const upstreams = {
      ORDER_URL: system.url('order'),
      INVENTORY_URL: system.url('inventory'),
      SUPPLIER_URL: system.url('supplier'),
      NOTIFICATION_URL: system.url('notification'),
    };
    // Every read of the board is a sample of the chart (the default spaces them 5 s apart).
    consoleApp = spawnService('console', { PORT: String(await freePortPair()), ...upstreams, BOARD_SAMPLE_INTERVAL_MS: '1' });
    const nobody = await freePortPair();
    degraded = spawnService('console', { PORT: String(await freePortPair()), ...upstreams, INVENTORY_URL: `http://127.0.0.1:${nobody}`, NOTIFICATION_URL: `http://127.0.0.1:${nobody + 1}` });
    await Promise.all([consoleApp.waitHealthy(), degraded.waitHealthy()]);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await newPage();
    token = await testToken();
  }, 240_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await Promise.all([consoleApp?.stop(), degraded?.stop()]);
    await system?.stop();
  }, 60_000);

  it('places three backorders and shows them on the board', async () => {
    await http('inventory', 'PUT', `/skus/${SKU}`, { backorderable: true, substitutes: [] });
    const po = await http<{ purchaseOrderId: string; expectedAt: string }>('supplier', 'POST', '/purchase-orders', {
      sku: SKU,
      quantity: 5,
      expectedAt: new Date(Date.now() + 10 * DAY).toISOString(),
    });
    purchaseOrderId = po.purchaseOrderId;
    promisedAt = po.expectedAt;
    await eventually(async () => ((await http<{ incoming: unknown[] }>('inventory', 'GET', `/skus/${SKU}`)).incoming.length === 1 ? true : undefined), {
      what: 'the purchase order known to inventory',
    });
    for (const [n, quantity] of [2, 1, 2].entries()) {
      const placed = await http<{ orderId: string }>('order', 'POST', '/orders', { customerId: `cust-${n + 1}-${run}`, lines: [{ sku: SKU, quantity }] });
      orderIds.push(placed.orderId);
      // One at a time, so the queue's order is the order of placing.
      expect(await settled(placed.orderId)).toMatchObject({ status: 'backordered', lines: [{ backordered: quantity, expectedAt: promisedAt }] });
    }
    await eventually(async () => {
      const report = await http<{ skus: { sku: string; queueLines: number }[] }>('inventory', 'GET', '/reports/backorders');
      return report.skus.find((s) => s.sku === SKU)?.queueLines === 3 ? true : undefined;
    }, { timeoutMs: 60_000, what: 'the planning report showing the three lines' });

    await page.goto(consoleApp.url);
    await page.locator('#sign-in').waitFor();
    expect(await page.locator('#sign-in-error').count()).toBe(0);
    await shoot('sign-in');
    await signIn(page, token);

    const row = `#board-table tr[data-sku="${SKU}"]`;
    await page.locator(row).waitFor();
    expect(await textOf(`${row} td[data-col=lines]`)).toBe('3');
    expect(await textOf(`${row} td[data-col=units]`)).toBe('5');
    expect(await textOf(`${row} td[data-col=incoming]`)).toBe('5');
    expect(await textOf(`${row} td[data-col=covered]`)).toBe('5 (100 %)');
    expect(await textOf(`${row} td[data-col=uncovered]`)).toBe('0');
    expect(await textOf(`${row} td[data-col=oldest]`)).toMatch(/^\d+ (s|min) since \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(await textOf('#board-chart figcaption')).toBe('Units waiting, all SKUs');
    expect(Number(await page.locator('#board-chart').getAttribute('data-samples'))).toBeGreaterThanOrEqual(1);
    expect(await textOf('#board-chart .note')).toContain('Sampled by this console');
    expect(await page.locator('#service-status .service.up').count()).toBe(4);
    await shoot('board');
  }, 180_000);

  it("follows the SKU to its queue: FIFO order, the units ahead, the promised dates and the purchase order covering them", async () => {
    await page.locator(`#board-table tr[data-sku="${SKU}"] a`).click();
    await page.locator('#queue-table').waitFor();
    expect(await textOf('#sku-name')).toBe(SKU);
    const rows = page.locator('#queue-table tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-order')))).toEqual(orderIds);
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    // #, order, line, customer, units, units ahead, queued, waited, promised, covered by
    expect(cells.map((c) => [c[0], c[4], c[5], c[8], c[9]])).toEqual([
      ['1', '2', '0', shownAt(promisedAt), purchaseOrderId],
      ['2', '1', '2', shownAt(promisedAt), purchaseOrderId],
      ['3', '2', '3', shownAt(promisedAt), purchaseOrderId],
    ]);
    expect(await textOf('#sku-backordered')).toBe('5');
    expect(await textOf('#incoming-table tbody tr td')).toBe(purchaseOrderId);
    expect(await textOf('#purchase-orders tbody tr td')).toBe(purchaseOrderId);
    await shoot('sku-queue');
  }, 60_000);

  it('shows the queue shrink on the board and its chart when two units arrive', async () => {
    const before = Number(await page.locator('#sku-chart').getAttribute('data-samples'));
    expect(before).toBeGreaterThanOrEqual(1);
    await http('supplier', 'POST', `/purchase-orders/${purchaseOrderId}/receipts`, { quantity: 2 });
    // The head of the queue is served first: the first order's two units.
    await eventually(async () => ((await http<OrderView>('order', 'GET', `/orders/${orderIds[0]}`)).status === 'confirmed' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the first order allocated',
    });
    await eventually(async () => {
      const report = await http<{ skus: { sku: string; queueLines: number }[] }>('inventory', 'GET', '/reports/backorders');
      return report.skus.find((s) => s.sku === SKU)?.queueLines === 2 ? true : undefined;
    }, { timeoutMs: 60_000, what: 'the planning report showing two lines' });

    await page.locator('#sku p a').click(); // ← Board
    const row = `#board-table tr[data-sku="${SKU}"]`;
    expect(await waitText(`${row} td[data-col=lines]`, /^2$/)).toBe('2');
    expect(await textOf(`${row} td[data-col=units]`)).toBe('3');
    const samples = Number(await page.locator('#board-chart').getAttribute('data-samples'));
    expect(samples).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#board-chart circle').count()).toBe(samples);

    await page.locator(`${row} a`).click();
    await page.locator('#queue-table').waitFor();
    expect(await page.locator('#queue-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-order')))).toEqual(orderIds.slice(1));
    // The SKU's own series: 5 units waited at the first sample, 3 now.
    const label = (await page.locator('#sku-chart svg').getAttribute('aria-label')) ?? '';
    expect(label).toMatch(/latest 3 units$/);
    const values = await page.locator('#sku-chart circle title').allTextContents();
    expect(values[0]).toMatch(/^5 at /);
    expect(values.at(-1)).toMatch(/^3 at /);
    await shoot('sku-queue-after-receipt');
  }, 120_000);

  it("opens an order's timeline: its events and what its customer was told, in time order", async () => {
    const orderId = orderIds[0]!;
    const view = await http<OrderView>('order', 'GET', `/orders/${orderId}`);
    const told = await eventually(async () => {
      const list = await http<NotificationView[]>('notification', 'GET', `/customers/${view.customerId}/notifications`);
      return list.some((n) => n.kind === 'backorder-allocated') ? list : undefined;
    }, { timeoutMs: 60_000, what: 'the allocation told' });

    await page.locator('#order-lookup-id').fill(orderId);
    await page.locator('#order-lookup-id').press('Enter');
    await page.locator('#timeline-table').waitFor();
    expect(await textOf('#order-id')).toBe(orderId);
    expect(await textOf('#order-status')).toBe('confirmed');
    const entries = await page.locator('#timeline-table tbody tr').evaluateAll((trs) => trs.map((tr) => `${tr.className}:${tr.getAttribute('data-what')}`));
    const events = await http<{ type: string }[]>('order', 'GET', `/orders/${orderId}/events`);
    expect(entries.filter((e) => e.startsWith('order:'))).toEqual(events.map((e) => `order:${e.type}`));
    expect(entries.filter((e) => e.startsWith('notification:'))).toEqual(told.filter((n) => n.orderId === orderId).map((n) => `notification:${n.kind}`));
    expect(entries.indexOf('order:OrderPlaced')).toBe(0);
    expect(entries.indexOf('notification:backordered')).toBeLessThan(entries.indexOf('notification:backorder-allocated'));
    // In time order across both services (shown to the second).
    const times = await page.locator('#timeline-table tbody tr td:first-child').allTextContents();
    expect(times).toEqual([...times].sort());
    await shoot('order-timeline');
  }, 120_000);

  it('lists dead letters with their reasons and headers, re-drives one from the page, and it is handled', async () => {
    // A cancel that came before its order (dead-lettered as order-not-found), and bytes that are no message at all.
    const orderId = `ord-con-${run}`;
    const meta = { source: 'support-desk', correlationId: randomUUID(), causationId: null };
    const cancel = createEnvelope('CancelOrder', { orderId, reason: 'came before the order' }, meta);
    await system.publish(TOPICS.orderCommands, cancel);
    const kafka = await testKafka('console-e2e', system.namespace.target);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({
      topic: system.namespace.name(TOPICS.orderCommands),
      acks: -1,
      messages: [{ key: 'garbage', value: 'this is not a CloudEvent', headers: { 'x-sent-by': `console-e2e-${run}` } }],
    });
    await producer.disconnect();
    const listing = await eventually(async () => {
      const l = await http<DeadLetterListing>('order', 'GET', `/admin/dead-letters?topic=${TOPICS.orderCommands}`);
      return l.total === 2 ? l : undefined;
    }, { timeoutMs: 60_000, what: 'two dead letters of order.commands' });
    const cancelLetter = listing.deadLetters.find((d) => d.id === cancel.id)!;
    const garbage = listing.deadLetters.find((d) => d.id !== cancel.id)!;
    expect(cancelLetter.reason).toMatch(/order-not-found/);
    expect(garbage.reason).toBeTruthy();

    await page.locator('nav a[href="#/dead-letters"]').click();
    const topicRow = `#dead-letter-topics tr[data-service=order][data-topic="${TOPICS.orderCommands}"]`;
    await page.locator(topicRow).waitFor();
    expect(await textOf(`${topicRow} td[data-col=dead-letters]`)).toBe('2');
    expect(await textOf(`${topicRow} td[data-col=not-redriven]`)).toBe('2');
    expect(await textOf('#dead-letter-totals')).toMatch(/^2 dead letter\(s\), 2 not re-driven\./);
    await shoot('dead-letters');

    await page.locator(`${topicRow} a`).click();
    await page.locator('#dead-letter-table').waitFor();
    const cancelRow = `#dead-letter-table tr[data-offset="${cancelLetter.partition}:${cancelLetter.offset}"]`;
    const garbageRow = `#dead-letter-table tr[data-offset="${garbage.partition}:${garbage.offset}"]`;
    expect(await textOf(`${cancelRow} td[data-col=reason]`)).toBe(cancelLetter.reason);
    expect(await textOf(`${garbageRow} td[data-col=reason]`)).toBe(garbage.reason);
    expect(await textOf(`${cancelRow} td:nth-child(2)`)).toContain('CancelOrder');
    // The record's own headers, as it was sent.
    await page.locator(`${garbageRow} details summary`).first().click();
    expect(await page.locator(`${garbageRow} dl.headers dt`).allTextContents()).toEqual(['x-sent-by']);
    expect(await textOf(`${garbageRow} dl.headers dd`)).toBe(`console-e2e-${run}`);
    expect(await textOf(`${garbageRow} td:nth-child(5)`)).toMatch(new RegExp(`^${TOPICS.orderCommands.replace('.', '\\.')} \\d+:\\d+$`));
    await shoot('dead-letter-list');

    // The order comes, for a SKU in stock: confirmed, so the cancel that came first can now cancel it.
    await http('inventory', 'PUT', `/skus/${STOCKED_SKU}`, { backorderable: false });
    await http('inventory', 'POST', `/skus/${STOCKED_SKU}/adjustments`, { delta: 5, reason: 'count' });
    await system.publish(TOPICS.orderCommands, createEnvelope('PlaceOrder', { orderId, customerId: `cust-dlq-${run}`, lines: [{ sku: STOCKED_SKU, quantity: 1 }] }, meta));
    await eventually(async () => ((await system.http<OrderView>('order', 'GET', `/orders/${orderId}`)).body.status === 'confirmed' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the order confirmed',
    });

    await page.locator(`${cancelRow} button.redrive`).click();
    expect(await waitText('#redrive-result', /Re-driven/)).toBe(`Re-driven 1 (${cancelLetter.partition}:${cancelLetter.offset}); already re-driven 0; not found 0.`);
    expect(await textOf(`${cancelRow} td[data-col=redriven]`)).toMatch(/^re-driven \d{4}-/);
    expect(await page.locator(`${cancelRow} button.redrive`).isDisabled()).toBe(true);
    expect(await page.locator(`${garbageRow} button.redrive`).isDisabled()).toBe(false);
    await shoot('dead-letter-redriven');

    // Handled: the re-driven cancel cancels the order, and its timeline says so.
    await eventually(async () => ((await system.http<OrderView>('order', 'GET', `/orders/${orderId}`)).body.status === 'cancelled' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the order cancelled by the re-driven command',
    });
    await page.locator('#order-lookup-id').fill(orderId);
    await page.locator('#order-lookup-id').press('Enter');
    expect(await waitText('#order-status', /cancelled/)).toBe('cancelled');
    expect(await page.locator('#timeline-table tr[data-what=OrderCancelled]').count()).toBe(1);
    await shoot('redriven-order-cancelled');

    // Re-drive all: the garbage goes back too, fails again, and is a new dead letter (nothing is sent twice).
    await page.goBack();
    await page.locator('#redrive-all').waitFor();
    expect(await textOf('#redrive-all')).toBe('Re-drive all not re-driven (1)');
    await page.locator('#redrive-all').click();
    expect(await waitText('#redrive-result', /Re-driven/)).toBe(`Re-driven 1 (${garbage.partition}:${garbage.offset}); already re-driven 1; not found 0.`);
    await eventually(async () => {
      const l = await http<DeadLetterListing>('order', 'GET', `/admin/dead-letters?topic=${TOPICS.orderCommands}`);
      return l.total === 3 ? l : undefined;
    }, { timeoutMs: 60_000, what: 'the garbage dead-lettered again' });
    await page.reload();
    await page.locator('#dead-letter-table').waitFor();
    expect(await page.locator('#dead-letter-table tbody tr').count()).toBe(3);
    expect(await textOf('#redrive-all')).toBe('Re-drive all not re-driven (1)');
    await shoot('dead-letter-failed-again');
  }, 180_000);

  it('brings back the sign-in with the refusal when the token is wrong or lacks a scope', async () => {
    const other = await newPage();
    await other.goto(consoleApp.url);
    await signIn(other, await testToken({ ttlSeconds: -60 }));
    expect(await waitText('#sign-in-error', /refused/, other)).toMatch(/^The token was refused\. inventory refused the token: /);
    await shoot('expired-token', other);

    await signIn(other, 'not a token');
    expect(await waitText('#sign-in-error', /must be "Bearer/, other)).toBe('The token was refused. Authorization: must be "Bearer <JWT>" (sign in again)');

    await signIn(other, await testToken({ scopes: ['orders:read'] }));
    expect(await waitText('#sign-in-error', /lacks a scope/, other)).toMatch(/^Your token lacks a scope this page needs\. inventory refused the token: /);
    await shoot('token-without-scope', other);

    // With a good token, the same tab goes on to the page it was on.
    await signIn(other, token);
    await other.locator('#board-table, #board .empty').first().waitFor();
    expect(await other.locator('#sign-in').count()).toBe(0);
    await other.context().close();
  }, 60_000);

  it('names the service that does not answer, and shows what the others could', async () => {
    const other = await newPage();
    await other.goto(degraded.url);
    await signIn(other, token);
    const shown = await waitText('#main .error', /does not answer/, other);
    expect(shown).toMatch(new RegExp(`inventory does not answer at http://127\\.0\\.0\\.1:\\d+ \\(ECONNREFUSED\\)`));
    expect(await other.locator('#main .error button.retry').count()).toBe(1);
    expect(await waitText('#service-status [data-service=inventory]', /down/, other)).toBe('inventory down');
    expect(await textOf('#service-status [data-service=order]', other)).toBe('order up');
    await shoot('inventory-down', other);

    // The order's events still show; the customer's notifications are said to be missing, and why.
    await other.locator('#order-lookup-id').fill(orderIds[0]!);
    await other.locator('#order-lookup-id').press('Enter');
    await other.locator('#timeline-table').waitFor();
    expect(await textOf('#notifications-error', other)).toMatch(/notification does not answer at/);
    expect(await other.locator('#timeline-table tr.order').count()).toBeGreaterThan(0);
    expect(await other.locator('#timeline-table tr.notification').count()).toBe(0);
    await shoot('notification-down', other);
    await other.context().close();
  }, 60_000);

  it('answers bad input with a 400 naming the field, an unknown order with a 404, and shows them on the page', async () => {
    const ask = (method: string, route: string, body?: unknown) => httpRequest<{ statusCode: number; field?: string; message: string }>(consoleApp.url, method, route, { token, body });
    expect((await ask('GET', `/api/dead-letters/warehouse/${TOPICS.orderCommands}`)).body).toMatchObject({ statusCode: 400, field: 'service' });
    expect((await ask('GET', '/api/skus/bad%20sku')).body).toMatchObject({ statusCode: 400, field: 'sku' });
    expect((await ask('GET', '/api/skus/%00')).body).toMatchObject({ statusCode: 400, field: 'sku' });
    expect((await ask('GET', `/api/dead-letters/order/${TOPICS.supplierCommands}`)).body).toMatchObject({ statusCode: 400, field: 'topic' });
    expect((await ask('GET', `/api/dead-letters/order/${TOPICS.orderCommands}?limit=0`)).body).toMatchObject({ statusCode: 400, field: 'limit' });
    expect((await ask('POST', `/api/dead-letters/order/${TOPICS.orderCommands}/redrive`, { offsets: 'all' })).body).toMatchObject({ statusCode: 400, field: 'offsets' });
    expect((await ask('POST', `/api/dead-letters/order/${TOPICS.orderCommands}/redrive`, { offsets: ['x'] })).body).toMatchObject({ statusCode: 400, field: expect.stringMatching(/^offsets/) });
    expect((await ask('GET', `/api/orders/ord-nobody-${run}/timeline`)).body).toMatchObject({ statusCode: 404 });
    expect((await httpRequest(consoleApp.url, 'GET', '/api/board', { token: null })).body).toMatchObject({ statusCode: 401, field: 'Authorization' });

    await page.goto(`${consoleApp.url}/#/skus/bad%20sku`);
    expect(await waitText('#main .error', /sku:/)).toMatch(/Could not load this page: sku: /);
    await shoot('bad-sku');
    await page.goto(`${consoleApp.url}/#/orders/ord-nobody-${run}`);
    expect(await waitText('#main .error', /not found/)).toContain(`ord-nobody-${run}`);
    await shoot('unknown-order');
  }, 60_000);

  it('refuses a bad setting at start in one line naming it (exit 78)', async () => {
    const refused = spawnService('console', { PORT: String(await freePortPair()), ORDER_URL: 'order:3001' });
    expect(await refused.exited).toBe(78);
    expect(refused.output().trim()).toMatch(/^console-service: invalid configuration: ORDER_URL is invalid \("order:3001"\)/);
  }, 30_000);
});
