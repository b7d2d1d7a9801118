import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '@fulfillment/kernel';
import { CommandPipeline, type Aggregate, type Decision } from './command-pipeline.js';
import { ConcurrencyError } from './errors.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { storedEvents, UnreadableEventError } from './stored-events.js';
import { createTestStore, type TestStore } from './testing-env.js';
import type { OutboxMessage } from './types.js';

// A small account aggregate: deposits, withdrawals refused below zero. Version 1 of Deposited stored `amount` as a
// string; version 2 stores a number, so old streams go through the upcaster.
type Deposited = { type: 'Deposited'; data: { amount: number } };
type Withdrawn = { type: 'Withdrawn'; data: { amount: number } };
type AccountEvent = Deposited | Withdrawn;
type AccountCommand = { type: 'Deposit' | 'Withdraw'; amount: number };
interface Account {
  balance: number;
  movements: number;
}

class AccountRefused extends DomainError<'insufficient-funds' | 'invalid-amount'> {
  constructor(code: 'insufficient-funds' | 'invalid-amount', message: string) {
    super(code, message, { 'insufficient-funds': 'refusal', 'invalid-amount': 'invalid' });
  }
}

const decider = {
  initialState: (): Account => ({ balance: 0, movements: 0 }),
  evolve: (state: Account, event: AccountEvent): Account => ({
    balance: state.balance + (event.type === 'Deposited' ? event.data.amount : -event.data.amount),
    movements: state.movements + 1,
  }),
  decide: (command: AccountCommand, state: Account): AccountEvent[] => {
    if (!(command.amount > 0)) throw new AccountRefused('invalid-amount', 'amount: must be positive');
    if (command.type === 'Withdraw' && command.amount > state.balance) {
      throw new AccountRefused('insufficient-funds', `balance ${state.balance} is below ${command.amount}`);
    }
    return [{ type: command.type === 'Deposit' ? 'Deposited' : 'Withdrawn', data: { amount: command.amount } }];
  },
};

let evolveAllCalls = 0;
const account: Aggregate<AccountCommand, AccountEvent, Account> = {
  name: 'account',
  decider,
  streamName: (id) => `account-${id}`,
  events: storedEvents<AccountEvent>({
    types: ['Deposited', 'Withdrawn'],
    versions: { Deposited: 2 },
    upcasters: { Deposited: { 1: (data: { amount: string }) => ({ amount: Number(data.amount) }) } },
  }),
  evolveAll: (state, events) => {
    evolveAllCalls++;
    return events.reduce(decider.evolve, state);
  },
  snapshot: { every: 5, schemaVersion: 1 },
};

const cause = { correlationId: 'corr-1', causationId: null };
const work = (id: string, type: AccountCommand['type'], amount: number) => ({ id, command: { type, amount }, cause });

describe('CommandPipeline', () => {
  let t: TestStore;
  const published: Decision<AccountCommand, AccountEvent, Account>[] = [];
  const projected: string[][] = [];
  let pipeline: CommandPipeline<AccountCommand, AccountEvent, Account>;

  beforeAll(async () => {
    t = await createTestStore({ poolSize: 10 });
    pipeline = new CommandPipeline(t.store, {
      aggregate: account,
      publish: (decision): OutboxMessage[] => {
        published.push(decision);
        return [{ topic: 'accounts', key: decision.id, value: JSON.stringify({ id: decision.eventIds[0], balance: decision.after.balance }) }];
      },
      project: async (tx, changed) => {
        projected.push(changed.map((outcome) => `${outcome.id}@${outcome.version}`));
        await tx.query('SELECT 1');
      },
    });
  });
  afterAll(() => t.close());

  const count = async (sql: string, values: unknown[] = []) => Number((await t.pool.query(sql, values)).rows[0].n);

  it('decides a batch over several aggregates in order and writes it with its outbox in one append', async () => {
    published.length = 0;
    projected.length = 0;
    const { outcomes, results } = await pipeline.run([
      work('a', 'Deposit', 10),
      work('b', 'Deposit', 5),
      work('a', 'Withdraw', 4),
      work('b', 'Withdraw', 5),
    ]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(outcomes.get('a')).toMatchObject({ state: { balance: 6, movements: 2 }, version: 2 });
    expect(outcomes.get('b')).toMatchObject({ state: { balance: 0, movements: 2 }, version: 2 });
    // The outbox keeps the decision order across aggregates.
    const outbox = (await t.pool.query('SELECT key, value FROM es_outbox ORDER BY position')).rows;
    expect(outbox.map((row) => [row.key, JSON.parse(row.value).balance])).toEqual([
      ['a', 10],
      ['b', 5],
      ['a', 6],
      ['b', 0],
    ]);
    expect(outbox.map((row) => JSON.parse(row.value).id)).toEqual(published.map((decision) => decision.eventIds[0]));
    expect(projected).toEqual([['a@2', 'b@2']]);
    const stored = await t.store.readStream('account-a');
    expect(stored.map((event) => [event.type, event.schemaVersion, event.metadata])).toEqual([
      ['Deposited', 2, { correlationId: 'corr-1', causationId: null }],
      ['Withdrawn', 1, { correlationId: 'corr-1', causationId: null }],
    ]);
  });

  it('rolls the whole batch back on a refusal, or collects it and goes on', async () => {
    const before = await count('SELECT count(*) AS n FROM es_events');
    await expect(pipeline.run([work('c', 'Deposit', 3), work('c', 'Withdraw', 7)])).rejects.toMatchObject({ code: 'insufficient-funds' });
    expect(await count('SELECT count(*) AS n FROM es_events')).toBe(before);

    const { results, outcomes } = await pipeline.run(
      [work('c', 'Deposit', 3), work('c', 'Withdraw', 7), work('c', 'Withdraw', 2)],
      undefined,
      { refusals: 'collect' },
    );
    expect(results.map((result) => (result.ok ? 'ok' : (result.error as AccountRefused).code))).toEqual(['ok', 'insufficient-funds', 'ok']);
    expect(outcomes.get('c')).toMatchObject({ state: { balance: 1 }, version: 2 });
  });

  it('reads an event stored in an older shape through the upcaster, and refuses one it cannot read', async () => {
    await t.store.append('account-old', 'no_stream', [{ type: 'Deposited', data: { amount: '12' }, schemaVersion: 1 }]);
    expect((await pipeline.read('old')).state).toEqual({ balance: 12, movements: 1 });

    await t.store.append('account-newer', 'no_stream', [{ type: 'Deposited', data: { amount: 1 }, schemaVersion: 3 }]);
    await expect(pipeline.read('newer')).rejects.toThrow(UnreadableEventError);
    await t.store.append('account-alien', 'no_stream', [{ type: 'Renamed', data: {} }]);
    await expect(pipeline.read('alien')).rejects.toThrow(/unknown event type/);
  });

  it('folds a load and each decision with one evolveAll, whatever the number of events', async () => {
    for (let i = 0; i < 4; i++) await pipeline.run([work('many', 'Deposit', 1)]);
    evolveAllCalls = 0;
    await pipeline.run([work('many', 'Deposit', 1), work('many', 'Deposit', 1)]);
    // One for the 4 events loaded, one per decision.
    expect(evolveAllCalls).toBe(3);
  });

  it('keeps a read a pure read: a due snapshot is written by the next writer, not by the read', async () => {
    for (let i = 0; i < 6; i++) await pipeline.run([work('snap', 'Deposit', 1)]);
    const snapshots = () => count("SELECT count(*) AS n FROM es_snapshots WHERE stream_id = 'account-snap'");
    const before = await snapshots();
    expect((await pipeline.read('snap')).state.balance).toBe(6);
    expect(await snapshots()).toBe(before);
    await pipeline.run([work('snap', 'Deposit', 1)]);
    expect(await snapshots()).toBe(1);
  });

  it('decides again on fresh state after a version conflict, and gives up after its retries', async () => {
    await pipeline.run([work('race', 'Deposit', 10)]);
    // A writer that skips the stream lock moves the stream between the pipeline's load and its append.
    const interfering = (times: number) => {
      let left = times;
      const appendMany: typeof t.store.appendMany = async (appends, opts) => {
        if (left-- > 0) {
          await t.store.append('account-race', 'any', [account.events.encode({ type: 'Deposited', data: { amount: 1 } }, crypto.randomUUID(), {})]);
        }
        return t.store.appendMany(appends, opts);
      };
      return Object.assign(Object.create(t.store) as typeof t.store, { appendMany });
    };
    const once = new CommandPipeline(interfering(1), { aggregate: account, conflictRetries: 1 });
    const result = await once.run([work('race', 'Withdraw', 10)]);
    // Decided again on the moved stream: 10 + 1 from the interfering writer - 10.
    expect(result.outcomes.get('race')!.state).toEqual({ balance: 1, movements: 3 });

    const always = new CommandPipeline(interfering(5), { aggregate: account, conflictRetries: 1 });
    await expect(always.run([work('race', 'Deposit', 1)])).rejects.toThrow(ConcurrencyError);
    // Two attempts, two interfering deposits, nothing of the pipeline's own.
    expect((await pipeline.read('race')).state).toEqual({ balance: 3, movements: 5 });
  });

  it('records an Idempotency-Key with the answer in the transaction of the effect', async () => {
    const keys = new IdempotencyKeys();
    const deposit = (fingerprint: string) =>
      pipeline.run([work('idem', 'Deposit', 5)], async (tx, handled) => {
        const earlier = await keys.record(tx, 'POST /deposits', 'key-1', fingerprint, {
          status: 202,
          body: { balance: handled.outcomes.get('idem')!.state.balance },
        });
        if (earlier) throw Object.assign(new Error('replay'), { earlier });
        return handled.outcomes.get('idem')!.state.balance;
      });
    expect(await deposit('f1')).toBe(5);
    // A second request with the key loses the race to record it: its effect rolls back with it.
    await expect(deposit('f1')).rejects.toMatchObject({ earlier: { fingerprint: 'f1', answer: { status: 202, body: { balance: 5 } } } });
    expect((await pipeline.read('idem')).state.balance).toBe(5);
    expect(await keys.find(t.pool, 'POST /deposits', 'key-1')).toEqual({ fingerprint: 'f1', answer: { status: 202, body: { balance: 5 } } });
    expect(await keys.find(t.pool, 'POST /other', 'key-1')).toBeNull();
  });

  describe('group commit (submit)', () => {
    const counting = () => {
      const calls = { appendMany: 0 };
      const appendMany: typeof t.store.appendMany = (appends, opts) => {
        calls.appendMany++;
        return t.store.appendMany(appends, opts);
      };
      return { calls, store: Object.assign(Object.create(t.store) as typeof t.store, { appendMany }) };
    };

    it('gathers concurrent requests into few transactions and answers each with its own part', async () => {
      const { calls, store } = counting();
      const grouped = new CommandPipeline(store, { aggregate: account });
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          grouped.submit([work(`g-${i % 3}`, 'Deposit', i + 1)], async (_tx, handled) => ({
            balance: handled.outcomes.get(`g-${i % 3}`)!.state.balance,
            decided: handled.results[0]!.ok && handled.results[0]!.decision !== null,
          })),
        ),
      );
      expect(answers.every((answer) => answer.decided)).toBe(true);
      // Thirty requests, far fewer appends: the first goes alone, the rest gather while transactions are in flight.
      expect(calls.appendMany).toBeLessThan(10);
      // Each request sees the account as its own deposit left it: the balances of one account are all different.
      for (const id of [0, 1, 2]) {
        const balances = answers.filter((_, i) => i % 3 === id).map((answer) => answer.balance);
        expect(new Set(balances).size).toBe(balances.length);
      }
      expect((await grouped.read('g-0')).state.balance).toBe([1, 4, 7, 10, 13, 16, 19, 22, 25, 28].reduce((a, b) => a + b, 0));
    });

    it('fails only the refused request of a group, and retries a group whose transaction failed request by request', async () => {
      await pipeline.run([work('gr', 'Deposit', 5)]);
      const grouped = new CommandPipeline(t.store, { aggregate: account });
      let failOnce = true;
      const outcomes = await Promise.allSettled([
        grouped.submit([work('gr', 'Deposit', 1)]),
        grouped.submit([work('gr', 'Withdraw', 100)]),
        grouped.submit([work('gr', 'Deposit', 2)], async (_tx, handled) => {
          // A request whose answer fails the group's transaction once (a concurrent Idempotency-Key, say).
          if (failOnce) {
            failOnce = false;
            throw new Error('recorded meanwhile');
          }
          return handled;
        }),
        grouped.submit([work('gr', 'Deposit', 4)]),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'insufficient-funds' });
      expect((await grouped.read('gr')).state.balance).toBe(12);
    });
  });
  describe('a state cache (aggregate.cache)', () => {
    const cachedAccount: Aggregate<AccountCommand, AccountEvent, Account> = {
      ...account,
      name: 'cached',
      streamName: (id) => `cached-${id}`,
      cache: { maxStreams: 2 },
    };
    // An event that no longer decodes: a load that reads it fails, so a load that succeeds did not read it.
    const spoil = (streamId: string) => t.pool.query("UPDATE es_events SET event_type = 'Spoiled' WHERE stream_id = $1", [streamId]);

    it('loads a held aggregate without reading what it already folded, but with what another writer appended since', async () => {
      const cached = new CommandPipeline(t.store, { aggregate: cachedAccount });
      await cached.run([work('k', 'Deposit', 10)]);
      expect(cached.cachedStates).toBe(1);
      await spoil('cached-k');
      evolveAllCalls = 0;
      const next = await cached.run([work('k', 'Deposit', 5)]);
      expect(next.outcomes.get('k')).toMatchObject({ state: { balance: 15, movements: 2 }, version: 2 });
      expect(evolveAllCalls).toBe(1); // the decision only: nothing was folded to load it

      // Another instance's append is read and folded on top of the held state.
      await t.store.append('cached-k', 2, [account.events.encode({ type: 'Deposited', data: { amount: 100 } }, crypto.randomUUID(), {})]);
      evolveAllCalls = 0;
      const after = await cached.run([work('k', 'Withdraw', 50)]);
      expect(after.outcomes.get('k')).toMatchObject({ state: { balance: 65, movements: 4 }, version: 4 });
      expect(evolveAllCalls).toBe(2);
    });

    it('keeps only what committed: a rolled-back batch leaves the held state as it was', async () => {
      const cached = new CommandPipeline(t.store, { aggregate: cachedAccount });
      await cached.run([work('rb', 'Deposit', 10)]);
      await expect(cached.run([work('rb', 'Deposit', 7), work('rb', 'Withdraw', 1000)])).rejects.toMatchObject({ code: 'insufficient-funds' });
      // The transaction of the effect fails after the decision (e.g. an Idempotency-Key recorded meanwhile).
      await expect(cached.run([work('rb', 'Deposit', 3)], async () => Promise.reject(new Error('recorded meanwhile')))).rejects.toThrow('recorded meanwhile');
      const { outcomes } = await cached.run([work('rb', 'Deposit', 1)]);
      expect(outcomes.get('rb')).toMatchObject({ state: { balance: 11, movements: 2 }, version: 2 });
      expect((await new CommandPipeline(t.store, { aggregate: cachedAccount }).read('rb')).state).toEqual({ balance: 11, movements: 2 });
    });

    it('writes snapshots at the same cadence, and drops the least recently used state beyond maxStreams', async () => {
      const cached = new CommandPipeline(t.store, { aggregate: cachedAccount });
      for (let i = 0; i < 6; i++) await cached.run([work('lru-a', 'Deposit', 1)]);
      await cached.snapshotsWritten();
      // every: 5, as an uncached load would write it (at the load after the 5th event): after the commit of the 5th.
      const { rows } = await t.pool.query("SELECT stream_version FROM es_snapshots WHERE stream_id = 'cached-lru-a'");
      expect(rows.map((row) => Number(row.stream_version))).toEqual([5]);

      await cached.run([work('lru-b', 'Deposit', 1)]);
      await cached.run([work('lru-a', 'Deposit', 1)]); // a is now the most recently used
      await cached.run([work('lru-c', 'Deposit', 1)]); // b goes
      expect(cached.cachedStates).toBe(2);
      await spoil('cached-lru-a');
      await expect(cached.run([work('lru-a', 'Deposit', 1)])).resolves.toBeDefined();
      await spoil('cached-lru-b');
      await expect(cached.run([work('lru-b', 'Deposit', 1)])).rejects.toThrow(/unknown event type/);
    });

    it('with a sized snapshot policy, snapshots a state growing by one entry per event at doubling versions, held or not', async () => {
      // The account's movements stand for its entries: one per event.
      const sized = (cache: boolean): Aggregate<AccountCommand, AccountEvent, Account> => ({
        ...account,
        name: cache ? 'sized-cached' : 'sized',
        streamName: (id) => `${cache ? 'sized-cached' : 'sized'}-${id}`,
        snapshot: { every: 5, size: (state) => state.movements, schemaVersion: 1 },
        ...(cache ? { cache: { maxStreams: 2 } } : {}),
      });
      for (const cache of [true, false]) {
        const pipeline = new CommandPipeline(t.store, { aggregate: sized(cache) });
        const snapshotted: number[] = [];
        for (let i = 0; i < 45; i++) {
          await pipeline.run([work('grows', 'Deposit', 1)]);
          await pipeline.snapshotsWritten();
          const { rows } = await t.pool.query('SELECT stream_version FROM es_snapshots WHERE stream_id = $1', [`${sized(cache).streamName('grows')}`]);
          const version = rows.length > 0 ? Number(rows[0].stream_version) : undefined;
          if (version !== undefined && version !== snapshotted.at(-1)) snapshotted.push(version);
        }
        // Held: written after the commit that makes one due; not held: by the next run's load, of the same version.
        expect({ cache, snapshotted }).toEqual({ cache, snapshotted: [5, 10, 20, 40] });
        expect((await pipeline.read('grows')).state).toEqual({ balance: 45, movements: 45 });
      }
    });

    it('refuses a cache beside prepare, whose state holds what lives outside the stream', () => {
      expect(() => new CommandPipeline(t.store, { aggregate: cachedAccount, prepare: async (_tx, states) => states })).toThrow(/cannot be combined with prepare/);
    });
  });
});
