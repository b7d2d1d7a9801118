// SPEC 14: a killed instance's partitions are consumed again by the rest of its group, and a clean stop hands them
// over at once. Members run in child processes on the compiled library with its default group timing, as services do.
// The test counts (members, partitions, messages); how fast it happens is measured by `npm run bench:recovery`.
import { afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AssignerProtocol } from 'kafkajs';
import { buildCompiledLibraries, startScript, type ScriptChild } from './test-support/child-process.js';
import { backInStock } from './test-support/envelopes.js';
import { produce, uniqueName, useKafkaFixture, waitFor } from './test-support/kafka-fixtures.js';
import { kafkaBrokers } from './test-support/testing-env.js';

jest.setTimeout(180_000);

const PARTITIONS = 4;

const { fixtures, admin, newTopic: newTopicNamed } = useKafkaFixture();
const children: Member[] = [];

interface Member extends ScriptChild {
  name: string;
  /** the SKUs of the messages it handled, by partition */
  handled: Map<number, string[]>;
}

function startMember(name: string, env: Record<string, string>): Member {
  const handled = new Map<number, string[]>();
  const child = startScript('recovery-child.mjs', { ...env, NAME: name }, (line) => {
    const match = /^handled (\d+) (\S+)$/.exec(line);
    if (match) handled.set(Number(match[1]), [...(handled.get(Number(match[1])) ?? []), match[2]!]);
  });
  const member: Member = {
    ...child,
    name,
    handled,
    waitForLine: (pattern) => child.waitForLine(pattern, { timeoutMs: 60_000, what: `${name} to print ${pattern}` }),
  };
  children.push(member);
  return member;
}

/** A fresh topic and group, with members `names` started on it. */
async function startGroup(...names: string[]): Promise<{ topic: string; groupId: string; members: Member[] }> {
  const topic = await newTopicNamed('recovery', { partitions: PARTITIONS });
  const groupId = uniqueName('recovery-group');
  const env = { TOPIC: topic, GROUP_ID: groupId, KAFKA_BROKERS: kafkaBrokers().join(',') };
  const members = names.map((name) => startMember(name, env));
  await Promise.all(members.map((member) => member.waitForLine(/^started$/)));
  return { topic, groupId, members };
}

/** Who holds which partition of the topic, as the group coordinator says (client id recovery-<name> -> partitions). */
async function assignments(groupId: string, topic: string): Promise<Map<string, number[]>> {
  const { groups } = await admin.describeGroups([groupId]);
  const members = groups[0]?.members ?? [];
  return new Map(
    members.map((member) => {
      const decoded = member.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment) : null;
      const partitions = [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b);
      return [member.clientId.replace(/^recovery-/, ''), partitions];
    }),
  );
}

async function stableWith(groupId: string, topic: string, names: string[]): Promise<Map<string, number[]>> {
  let last = new Map<string, number[]>();
  await waitFor(
    async () => {
      const state = (await admin.describeGroups([groupId])).groups[0]?.state;
      last = await assignments(groupId, topic);
      const held = [...last.values()].flat();
      return (
        state === 'Stable' &&
        last.size === names.length &&
        names.every((name) => (last.get(name)?.length ?? 0) > 0) &&
        held.length === PARTITIONS &&
        new Set(held).size === PARTITIONS
      );
    },
    { timeoutMs: 90_000, intervalMs: 250, what: `group ${groupId} stable with ${names.join(', ')} holding every partition` },
  );
  return last;
}

/** `count` messages on every partition, each with a SKU naming its partition and a tag. */
async function produceEverywhere(topic: string, tag: string, count: number): Promise<string[]> {
  const messages = Array.from({ length: PARTITIONS * count }, (_, i) => {
    const partition = i % PARTITIONS;
    const envelope = backInStock({ sku: `${tag}-P${partition}-${Math.floor(i / PARTITIONS)}` });
    return { partition, key: envelope.key, value: envelope.value, sku: envelope.key };
  });
  await produce(fixtures, topic, messages.map(({ partition, key, value }) => ({ partition, key, value })));
  return messages.map((m) => m.sku);
}

const handledTagged = (member: Member, tag: string) => [...member.handled.values()].flat().filter((sku) => sku.startsWith(`${tag}-`));

beforeAll(() => buildCompiledLibraries(), 120_000);

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await child.exited;
  }
});

describe('a consumer group losing a member', () => {
  it('gives a SIGKILLed member\'s partitions to the survivor, which consumes what was sent to them after the kill', async () => {
    const {
      topic,
      groupId,
      members: [a, b],
    } = await startGroup('a', 'b');
    const before = await stableWith(groupId, topic, ['a', 'b']);
    const orphaned = before.get('a')!;

    a.process.kill('SIGKILL');
    await a.exited;
    const sent = await produceEverywhere(topic, 'after-kill', 5);

    await waitFor(() => handledTagged(b, 'after-kill').length >= sent.length, {
      timeoutMs: 120_000,
      what: `the survivor to handle the ${sent.length} messages sent after the kill`,
    });
    expect(await stableWith(groupId, topic, ['b'])).toEqual(new Map([['b', [0, 1, 2, 3]]]));
    expect(new Set(handledTagged(b, 'after-kill'))).toEqual(new Set(sent));
    // Including every message on the partitions the killed member held.
    for (const partition of orphaned) expect(b.handled.get(partition)!.filter((sku) => sku.startsWith('after-kill-'))).toHaveLength(5);
  });

  it('loses a SIGTERMed member at once: when its process has exited the coordinator no longer lists it', async () => {
    const {
      topic,
      groupId,
      members: [a, b],
    } = await startGroup('a', 'b');
    await stableWith(groupId, topic, ['a', 'b']);

    a.process.kill('SIGTERM');
    await a.waitForLine(/^stopped$/);
    expect(await a.exited).toBe(0);
    // A member that did not leave would stay listed for a whole session timeout after its process ended.
    expect([...(await assignments(groupId, topic)).keys()]).toEqual(['b']);

    const sent = await produceEverywhere(topic, 'after-stop', 3);
    await waitFor(() => handledTagged(b, 'after-stop').length >= sent.length, { timeoutMs: 120_000, what: 'the rest of the group to consume' });
    expect(new Set(handledTagged(b, 'after-stop'))).toEqual(new Set(sent));
  });
});
