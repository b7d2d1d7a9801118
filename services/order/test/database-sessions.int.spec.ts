// The order service's PostgreSQL sessions terminated (pg_terminate_backend) while it takes orders: the chaos soak saw
// the order process exit with "Emitted 'error' event on Client instance" right after such a termination. The service
// must stay up, every order it accepted (over HTTP or as a PlaceOrder command) must be readable and published once, and
// a client retrying with its Idempotency-Key must get the same order back.
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fulfillment/contracts';
import { eventually, fileFixture } from '@fulfillment/testing';
import { OrderServiceHarness } from './support/order-service.harness.js';

const svc = fileFixture(() => OrderServiceHarness.start(), (service) => service.dispose());

const ORDERS = 240;
const CLIENTS = 12;
const TERMINATIONS = 4;
const COMMANDS = 60;

describe('database sessions terminated under load', () => {
  it('keep the service up; every accepted order is readable and published once, and a retry gets the same order', async () => {
    const keys = Array.from({ length: ORDERS }, () => randomUUID());
    const accepted = new Map<string, string>(); // idempotency key -> orderId
    let attempts = 0;
    let failedAttempts = 0;
    let terminated = 0;
    const terminations = { http: 0, commands: 0 };
    let next = 0;

    // Set when any part of the load fails: the others stop too, so a failure ends the test instead of leaving clients
    // retrying against a service that went away (which kept Jest from exiting).
    let stopped: Error | undefined;
    // A shop's client: retries each order with its key until it is accepted (a failure is a 5xx of a lost session or a
    // refused connection, never a 4xx here), a little later each time.
    const place = async (key: string, body: object) => {
      for (let retry = 0; ; retry++) {
        if (stopped) throw stopped;
        if (retry > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(500, 10 * retry)));
        attempts++;
        // Count-based, not timed: a termination at fixed points of the load.
        if (attempts % Math.floor(ORDERS / TERMINATIONS) === 0 && terminations.http < TERMINATIONS) {
          terminations.http++;
          terminated += await svc.database.terminateSessions();
        }
        const answer = await svc.http<{ orderId: string }>('POST', '/orders', { body, headers: { 'idempotency-key': key } }).catch(() => undefined);
        if (answer && answer.status === 202) return answer.body.orderId;
        if (answer && answer.status < 500) throw new Error(`refused with ${answer.status}: ${JSON.stringify(answer.body)}`);
        failedAttempts++;
      }
    };
    const client = async () => {
      while (next < keys.length && !stopped) {
        const key = keys[next++]!;
        const orderId = await place(key, { customerId: `cust-${key.slice(0, 6)}`, lines: [{ sku: 'SKU-SESSION', quantity: 1 }] });
        accepted.set(key, orderId);
      }
    };
    // Beside the HTTP clients, PlaceOrder commands on order.commands: the consumer's transactions lose sessions too.
    const commands = Array.from({ length: COMMANDS }, (_, n) =>
      svc.envelope('PlaceOrder', { customerId: `cust-cmd-${n}`, lines: [{ sku: 'SKU-SESSION', quantity: 1 }] }, { source: 'storefront' }),
    );
    const sendCommands = async () => {
      for (let batch = 0; batch < COMMANDS; batch += 10) {
        await svc.send(TOPICS.orderCommands, ...commands.slice(batch, batch + 10));
        // Until the consumer has these, so that the next termination hits its work.
        await svc.diagnosed(eventually(() => (placedBy(commands.slice(batch, batch + 10)).length > 0 ? true : undefined), { timeoutMs: 60_000, what: 'a command of the batch' }));
        terminations.commands++;
        terminated += await svc.database.terminateSessions();
      }
    };
    const placedBy = (sent: { id: string }[]) => {
      const ids = new Set(sent.map((command) => command.id));
      return svc.envelopes(TOPICS.orderEvents, 'OrderPlaced').filter((envelope) => envelope.causationid !== null && ids.has(envelope.causationid));
    };
    const stopOnFailure = (part: Promise<void>) =>
      part.catch((error: unknown) => {
        stopped ??= error instanceof Error ? error : new Error(String(error));
        throw error;
      });
    const loads = await Promise.allSettled([...Array.from({ length: CLIENTS }, client), sendCommands()].map(stopOnFailure));
    if (stopped) {
      const { exitCode, signalCode } = svc.service.child;
      stopped.message += `\nthe order process: exit code ${exitCode}, signal ${signalCode}; attempts ${attempts}, failed ${failedAttempts}, ${loads.filter((load) => load.status === 'rejected').length} parts of the load failed`;
      throw stopped;
    }

    // The sessions were really cut while it ran, and the process never went down.
    expect(terminations).toEqual({ http: TERMINATIONS, commands: COMMANDS / 10 });
    expect(terminated).toBeGreaterThan(0);
    expect(svc.service.child.exitCode).toBeNull();
    expect(svc.service.child.signalCode).toBeNull();
    expect(svc.service.output()).not.toContain("Emitted 'error' event");
    expect(accepted.size).toBe(ORDERS);
    expect(new Set(accepted.values()).size).toBe(ORDERS);

    // Each accepted order is published, as one event: the relay may send a row again when its session was cut between
    // sending and deleting it (at-least-once), and such a copy carries the same event id, which consumers skip.
    const orderIds = new Set(accepted.values());
    const placed = await eventually(
      () => {
        const found = svc.envelopes(TOPICS.orderEvents, 'OrderPlaced').filter((envelope) => orderIds.has(envelope.subject));
        return new Set(found.map((envelope) => envelope.subject)).size >= ORDERS ? found : undefined;
      },
      { timeoutMs: 60_000, what: `OrderPlaced for each of the ${ORDERS} orders` },
    );
    const idsByOrder = new Map<string, Set<string>>();
    for (const envelope of placed) idsByOrder.set(envelope.subject, (idsByOrder.get(envelope.subject) ?? new Set()).add(envelope.id));
    expect([...idsByOrder.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    for (const orderId of [...orderIds].slice(0, 20)) expect((await svc.http('GET', `/orders/${orderId}`)).status).toBe(200);

    // Each command placed one order (a redelivered command is skipped by the inbox), and nothing was dead-lettered.
    const byCommand = await eventually(
      () => {
        const found = placedBy(commands);
        return new Set(found.map((envelope) => envelope.causationid)).size >= COMMANDS ? found : undefined;
      },
      { timeoutMs: 60_000, what: `OrderPlaced for each of the ${COMMANDS} commands` },
    );
    const ordersByCommand = new Map<string, Set<string>>();
    for (const envelope of byCommand) ordersByCommand.set(envelope.causationid!, (ordersByCommand.get(envelope.causationid!) ?? new Set()).add(envelope.subject));
    expect([...ordersByCommand.values()].filter((orders) => orders.size !== 1)).toEqual([]);
    expect(svc.deadLetters(TOPICS.orderCommands)).toEqual([]);

    // The retry of an accepted order, after all that, is the same order.
    const [key, orderId] = [...accepted.entries()][0]!;
    const again = await svc.http<{ orderId: string }>('POST', '/orders', {
      body: { customerId: `cust-${key.slice(0, 6)}`, lines: [{ sku: 'SKU-SESSION', quantity: 1 }] },
      headers: { 'idempotency-key': key },
    });
    expect(again.status).toBe(202);
    expect(again.body.orderId).toBe(orderId);
    // How much the terminations cost the clients (they retried), for the log of a failing run.
    expect(attempts).toBe(ORDERS + failedAttempts);
  }, 180_000);
});
