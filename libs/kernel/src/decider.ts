/**
 * The three functions of an event-sourced aggregate (emmett's `Decider`): `decide` is pure, so time and ids arrive in
 * the command; `evolve` folds one event; `initialState` is the state before the first event.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** A command or an event of a domain: its type and its data, neither changed once made. */
export type DomainMessage<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;
export type DomainCommand<Type extends string, Data> = DomainMessage<Type, Data>;
export type DomainEvent<Type extends string, Data> = DomainMessage<Type, Data>;
