import {
  evolve,
  laterOf,
  type LineRef,
  type LineReservation,
  type QueuedLine,
  type SkuEvent,
  type SkuState,
} from './sku.js';

/**
 * `events.reduce(evolve, state)` in time linear in the state plus the events. `evolve` copies the queue or the
 * reservations for every line event, which is fine for the few events of one order line but quadratic for a restock
 * that serves thousands of queued lines, or for replaying such a restock from the event store. Here the two lists
 * are copied once, changed in place through an index by line, and compacted at the end; the inputs are not touched,
 * so this is as pure as `evolve`. Events that do not touch a line are left to `evolve` itself.
 */
export const evolveAll = (state: SkuState, events: readonly SkuEvent[]): SkuState => {
  if (events.length === 0) return state;
  if (events.length === 1) return evolve(state, events[0]!);
  const fold = new LinesFold(state);
  for (const event of events) fold.apply(event);
  return fold.result();
};

// The length prefix makes the key unambiguous whatever characters the ids contain.
const keyOf = ({ orderId, lineId }: Pick<LineRef, 'orderId' | 'lineId'>): string => `${orderId.length}:${orderId}${lineId}`;

/** Lists with removals marked as holes, and an index by line built on first use (appends alone need none). */
class LineList<T extends LineRef> {
  private readonly items: (T | undefined)[];
  private index: Map<string, number[]> | undefined;
  private holes = 0;
  private changed = false;

  constructor(private readonly original: readonly T[]) {
    this.items = original.slice();
  }

  positionsOf(line: Pick<LineRef, 'orderId' | 'lineId'>): readonly number[] {
    if (this.index === undefined) {
      this.index = new Map();
      this.items.forEach((item, position) => {
        if (item !== undefined) this.indexAt(keyOf(item), position);
      });
    }
    return this.index.get(keyOf(line)) ?? [];
  }

  at(position: number): T {
    return this.items[position]!;
  }

  push(item: T): void {
    this.changed = true;
    this.items.push(item);
    if (this.index !== undefined) this.indexAt(keyOf(item), this.items.length - 1);
  }

  replace(position: number, item: T): void {
    this.changed = true;
    this.items[position] = item;
  }

  removeAll(line: Pick<LineRef, 'orderId' | 'lineId'>): void {
    const positions = this.positionsOf(line);
    if (positions.length > 0) this.changed = true;
    for (const position of positions) this.items[position] = undefined;
    this.holes += positions.length;
    this.index!.delete(keyOf(line));
  }

  result(): readonly T[] {
    if (!this.changed) return this.original;
    return this.holes === 0 ? (this.items as T[]) : this.items.filter((item): item is T => item !== undefined);
  }

  private indexAt(key: string, position: number): void {
    const positions = this.index!.get(key);
    if (positions) positions.push(position);
    else this.index!.set(key, [position]);
  }
}

/** Mirrors `evolve` case by case for the line events; `sku.unit.spec` and the properties hold the two equal. */
class LinesFold {
  private rest: SkuState;
  private readonly reservations: LineList<LineReservation>;
  private readonly queue: LineList<QueuedLine>;
  private lastEventAt: SkuState['lastEventAt'];

  constructor(state: SkuState) {
    this.rest = state;
    this.reservations = new LineList(state.reservations);
    this.queue = new LineList(state.queue);
    this.lastEventAt = state.lastEventAt ?? null;
  }

  apply(event: SkuEvent): void {
    this.lastEventAt = laterOf(this.lastEventAt, event.data.at);
    switch (event.type) {
      case 'StockReserved':
        this.hold(event.data, this.heldFor(event.data) + event.data.quantity);
        return;
      case 'BackorderQueued': {
        const { orderId, lineId, customerId, quantity, expectedAt, at } = event.data;
        this.queue.push({ orderId, lineId, customerId, quantity, queuedAt: at, expectedAt });
        return;
      }
      case 'BackorderAllocated': {
        const { remaining } = event.data;
        this.hold(event.data, this.heldFor(event.data) + event.data.quantity);
        if (remaining > 0) this.updateQueued(event.data, (line) => ({ ...line, quantity: remaining }));
        else this.queue.removeAll(event.data);
        return;
      }
      case 'BackorderEtaChanged':
        this.updateQueued(event.data, (line) => ({ ...line, expectedAt: event.data.expectedAt }));
        return;
      case 'BackorderReleased':
        this.queue.removeAll(event.data);
        return;
      case 'ReservationReleased':
        this.hold(event.data, this.heldFor(event.data) - event.data.quantity);
        return;
      default:
        // The remaining events read and write neither list: `evolve` on the rest of the state is exact.
        this.rest = evolve(this.rest, event);
    }
  }

  result(): SkuState {
    return { ...this.rest, reservations: this.reservations.result(), queue: this.queue.result(), lastEventAt: this.lastEventAt };
  }

  private heldFor(line: LineRef): number {
    const [position] = this.reservations.positionsOf(line);
    return position === undefined ? 0 : this.reservations.at(position).quantity;
  }

  /** `withHeld` of sku.ts: a line keeps its place when its quantity changes, joins at the end, leaves at zero. */
  private hold(line: LineRef, quantity: number): void {
    const { orderId, lineId, customerId } = line;
    const [position] = this.reservations.positionsOf(line);
    if (quantity <= 0) {
      if (position !== undefined) this.reservations.removeAll(line);
      return;
    }
    const updated = { orderId, lineId, customerId, quantity };
    if (position === undefined) this.reservations.push(updated);
    else this.reservations.replace(position, updated);
  }

  private updateQueued(line: LineRef, update: (queued: QueuedLine) => QueuedLine): void {
    for (const position of this.queue.positionsOf(line)) this.queue.replace(position, update(this.queue.at(position)));
  }
}
