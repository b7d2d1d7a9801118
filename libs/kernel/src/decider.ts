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

/** Per command type, the function that decides a command of that type on its data. */
export type CommandHandlers<Command extends DomainMessage<string, unknown>, State, Result> = {
  readonly [Type in Command['type']]: (data: Extract<Command, { type: Type }>['data'], state: State) => Result;
};

/**
 * Decides `command` with the handler of its type; a type no handler takes (a command that bypassed the types) goes
 * to `unknownType`, which throws the domain's refusal.
 */
export function decideByType<Command extends DomainMessage<string, unknown>, State, Result>(
  handlers: CommandHandlers<Command, State, Result>,
  command: Command,
  state: State,
  unknownType: (type: string) => never,
): Result {
  if (!Object.hasOwn(handlers, command.type)) return unknownType(String(command.type));
  const handler = handlers[command.type as Command['type']] as (data: Command['data'], state: State) => Result;
  return handler(command.data, state);
}
