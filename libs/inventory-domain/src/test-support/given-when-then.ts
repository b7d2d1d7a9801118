import { expect } from '@jest/globals';
import { decide, type SkuCommand } from '../sku.decide.js';
import { evolve, initialState, type SkuEvent, type SkuState } from '../sku.js';
import type { InventoryErrorCode } from '../inventory-domain.error.js';

/**
 * given(history).when(command).then(expected events). The history is folded from the initial state the way the event
 * store would replay it, so a test states its premise as facts rather than as a hand-built state.
 */
export const given = (...history: readonly SkuEvent[]) => {
  const state = history.reduce(evolve, initialState());
  return {
    state,
    when(command: SkuCommand) {
      const run = () => decide(command, state);
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
