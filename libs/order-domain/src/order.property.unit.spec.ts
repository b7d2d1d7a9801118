import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decide,
  deriveOrderStatus,
  evolve,
  initialState,
  isOrderDomainError,
  pendingUnits,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
  type PlacedOrder,
} from './index.js';

const dates = [null, '2026-12-01T00:00:00.000Z', '2026-12-05T00:00:00.000Z'];

type Kind = Exclude<OrderCommand['type'], 'PlaceOrder'>;
interface Step {
  readonly kind: Kind;
  readonly line: number;
  readonly amount: number | 'rest';
  readonly eventId: string;
  readonly expectedAt: string | null;
}

// Line index 3 is never placed (orders have at most 3 lines), so some outcomes target an unknown line. Event ids come
// from a small pool so that redeliveries and id collisions happen often.
const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<Kind>('RecordStockReserved', 'RecordBackorderQueued') },
    { weight: 3, arbitrary: fc.constant<Kind>('RecordBackorderAllocated') },
    { weight: 2, arbitrary: fc.constantFrom<Kind>('RecordBackorderEtaChanged', 'RecordStockUnavailable') },
    { weight: 2, arbitrary: fc.constantFrom<Kind>('RecordBackorderReleased', 'RecordStockReleased') },
    { weight: 1, arbitrary: fc.constant<Kind>('CancelOrder') },
  ),
  line: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: fc.constant(3) }),
  amount: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant<'rest'>('rest')),
  eventId: fc.integer({ min: 0, max: 150 }).map((n) => `e${n}`),
  expectedAt: fc.constantFrom(...dates),
});

const cancelStep: Step = { kind: 'CancelOrder', line: 0, amount: 1, eventId: 'cancel', expectedAt: null };

// Random kinds alone would cancel too early or never; most sequences also get one cancellation at a random point.
const stepsArb = fc
  .tuple(fc.array(stepArb, { maxLength: 40, size: 'medium' }), fc.option(fc.nat({ max: 40 }), { freq: 4 }))
  .map(([steps, cancelAt]) =>
    cancelAt === null ? steps : [...steps.slice(0, cancelAt), cancelStep, ...steps.slice(cancelAt)],
  );

/**
 * 'rest' stands for "every unit the outcome could cover right now" (all pending units for an answer, all backordered
 * units for an allocation, all released units for a release), which random quantities alone would almost never hit.
 */
function toCommand({ kind, line, amount, eventId, expectedAt }: Step, order: PlacedOrder): OrderCommand {
  const lineId = `L${line}`;
  const current = order.lines.find((candidate) => candidate.lineId === lineId);
  const resolve = (available: (line: NonNullable<typeof current>) => number): number =>
    amount !== 'rest' ? amount : Math.max(1, current === undefined ? 1 : available(current));
  switch (kind) {
    case 'CancelOrder':
      return { type: kind, data: { orderId: 'o-1', reason: 'test', now: '2026-11-28T00:00:00.000Z' } };
    case 'RecordBackorderQueued':
      return { type: kind, data: { lineId, quantity: resolve(pendingUnits), expectedAt, eventId } };
    case 'RecordBackorderEtaChanged':
      return { type: kind, data: { lineId, expectedAt, eventId } };
    case 'RecordStockUnavailable':
      return { type: kind, data: { lineId, quantity: resolve(pendingUnits), substitutes: ['SKU-Z'], eventId } };
    case 'RecordStockReserved':
      return { type: kind, data: { lineId, quantity: resolve(pendingUnits), eventId } };
    case 'RecordBackorderAllocated':
      return { type: kind, data: { lineId, quantity: resolve((l) => l.backordered || l.released), eventId } };
    case 'RecordBackorderReleased':
    case 'RecordStockReleased':
      return { type: kind, data: { lineId, quantity: resolve((l) => l.released), eventId } };
  }
}

const placeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }).map(
  (quantities): OrderCommand => ({
    type: 'PlaceOrder',
    data: {
      orderId: 'o-1',
      customerId: 'c-1',
      email: null,
      lines: quantities.map((quantity, index) => ({ lineId: `L${index}`, sku: `SKU-${index}`, quantity })),
      now: '2026-11-27T10:00:00.000Z',
    },
  }),
);

// Plain checks collected as messages: an expect() per bucket per step made the property several times slower.
function violations(order: PlacedOrder): string[] {
  const found: string[] = [];
  const derived = deriveOrderStatus(order);
  if (order.status !== derived) found.push(`status ${order.status}, lines say ${derived}`);
  for (const line of order.lines) {
    const { lineId, quantity, reserved, allocated, backordered, unavailable, released, expectedAt } = line;
    const pending = pendingUnits(line);
    const buckets = { reserved, allocated, backordered, unavailable, released, pending };
    for (const [name, value] of Object.entries(buckets)) if (value < 0) found.push(`${lineId}: ${name} ${value} < 0`);
    if (reserved + allocated + backordered + unavailable + released + pending !== quantity) {
      found.push(`${lineId}: buckets do not add up to ${quantity}`);
    }
    if (order.status !== 'pending' && order.status !== 'cancelled' && pending !== 0) {
      found.push(`${lineId}: ${pending} pending in a ${order.status} order`);
    }
    if (order.status === 'cancelled' && reserved + allocated + backordered !== 0) {
      found.push(`${lineId}: still holds units after cancellation`);
    }
    if (backordered === 0 && expectedAt !== null) found.push(`${lineId}: a date with nothing waiting`);
  }
  return found;
}

describe('order decider properties', () => {
  it('keeps the quantity identity, matches its replay, and ignores redeliveries, for any outcome sequence', () => {
    const statusesReached = new Set<string>();
    const releasedFrom = new Set<string>();
    fc.assert(
      fc.property(placeArb, stepsArb, (place, steps) => {
        const history: OrderEvent[] = [...decide(place, initialState())];
        let state: OrderState = history.reduce(evolve, initialState());
        const effective: OrderCommand[] = [];

        for (const step of steps) {
          const command = toCommand(step, state as PlacedOrder);
          let events: readonly OrderEvent[];
          try {
            events = decide(command, state);
          } catch (error) {
            // Every generated command is well formed, so the only acceptable failures are refusals.
            if (!isOrderDomainError(error) || error.kind !== 'refusal') throw error;
            continue;
          }
          if (events.length > 0 && command.type !== 'CancelOrder') effective.push(command);
          history.push(...events);
          state = events.reduce(evolve, state);
          expect(violations(state as PlacedOrder)).toEqual([]);
          for (const event of events) if (event.type === 'LineReleased') releasedFrom.add(event.data.from);
          statusesReached.add(state.status);
        }

        expect(history.reduce(evolve, initialState())).toEqual(state);
        for (const command of effective) expect(decide(command, state)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
    // Guards the generator: a property that never leaves `pending` would prove little.
    expect([...statusesReached].sort()).toEqual(['backordered', 'cancelled', 'confirmed', 'pending', 'rejected']);
    expect([...releasedFrom].sort()).toEqual(['allocated', 'backordered', 'pending', 'reserved']);
  });

  it('chains status changes: each one starts from the status the previous one reached', () => {
    fc.assert(
      fc.property(placeArb, stepsArb, (place, steps) => {
        let state = decide(place, initialState()).reduce(evolve, initialState());
        let status = state.status;
        for (const step of steps) {
          const command = toCommand(step, state as PlacedOrder);
          let events: readonly OrderEvent[] = [];
          try {
            events = decide(command, state);
          } catch (error) {
            if (!isOrderDomainError(error)) throw error;
          }
          for (const event of events) {
            if (event.type !== 'OrderStatusChanged') continue;
            expect(event.data.previous).toBe(status);
            expect(event.data.status).not.toBe(status);
            status = event.data.status;
          }
          state = events.reduce(evolve, state);
          // Once cancelled, an order stays cancelled.
          if (status === 'cancelled') expect(state.status).toBe('cancelled');
        }
      }),
      { numRuns: 300 },
    );
  });
});
