import { expect } from '@jest/globals';
import { decide, type SkuCommand } from '../sku.decide.js';
import { evolve, initialState, type SkuEvent, type SkuState } from '../sku.js';
import type { InventoryErrorCode } from '../inventory-domain.error.js';

/**
 * The fixtures date history and commands at T0 alike. A history dated at the command's own instant is taken to have
 * happened just before it (its latest event a millisecond earlier), as the test means it, so that the expected events
 * read at the command's time; without this every decision after a T0 history would be dated T0 + 1 ms (a SKU's
 * decisions are never simultaneous). A history dated after the command still shows that rule: see "event times".
 */
const before = (command: SkuCommand, state: SkuState): SkuState => {
  const now = (command.data as { now?: string }).now;
  return now !== undefined && state.lastEventAt !== null && Date.parse(state.lastEventAt) === Date.parse(now) ? { ...state, lastEventAt: new Date(Date.parse(now) - 1).toISOString() } : state;
};

/**
 * given(history).when(command).then(expected events). The history is folded from the initial state the way the event
 * store would replay it, so a test states its premise as facts rather than as a hand-built state.
 */
export const given = (...history: readonly SkuEvent[]) => {
  const state = history.reduce(evolve, initialState());
  return {
    state,
    when(command: SkuCommand) {
      const run = () => decide(command, before(command, state));
      return {
        then(...expected: readonly SkuEvent[]): void {
          expect(run()).toEqual(expected);
        },
        thenNothing(): void {
          expect(run()).toEqual([]);
        },
        thenThrows(code: InventoryErrorCode, message?: RegExp): void {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toMatchObject({ name: 'InventoryDomainError', code });
          if (message !== undefined) expect((thrown as Error).message).toMatch(message);
        },
        /** The state after the decided events, for checks on the views. */
        thenState(): SkuState {
          return run().reduce(evolve, state);
        },
      };
    },
  };
};
