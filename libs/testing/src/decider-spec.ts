import { expect } from '@jest/globals';
import type { Decider } from '@fulfillment/kernel';

export type { Decider };

/**
 * given(events).when(command).then(events) for a decider: the given events are folded from the initial state, so a
 * test states history the way the event store would hold it.
 */
export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: readonly Event[]) {
      const state = history.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenNothing(): void {
              expect(run()).toEqual([]);
            },
            /** Checks the refusal's code (and message) and hands the error back for further checks. */
            thenThrows(code: string, message?: RegExp): unknown {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toMatchObject({ code });
              if (message !== undefined) expect((thrown as Error).message).toMatch(message);
              return thrown;
            },
            /** The state after the decided events, for checks on the view. */
            thenState(): State {
              return run().reduce(decider.evolve, state);
            },
          };
        },
      };
    },
  };
}
