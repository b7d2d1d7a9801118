import { describe, expect, it } from '@jest/globals';
import { deadLetterOverviewOf, tokenRefusalOf, type CountsAnswer } from './dead-letters.view.js';
import type { Upstream } from '../console.config.js';

const counts = (topics: [string, number, number][]): CountsAnswer => ({
  ok: true,
  body: { consumerGroup: 'g', topics: topics.map(([topic, deadLetters, notRedriven]) => ({ topic, deadLetters, notRedriven })) },
});
const failed = (statusCode: number, message = 'no'): CountsAnswer => ({ ok: false, error: { statusCode, message } });

describe('deadLetterOverviewOf', () => {
  it("adds up every service's dead letters and shows a service that cannot answer with its error", () => {
    const overview = deadLetterOverviewOf([
      ['order', counts([['order.commands', 2, 1], ['inventory.events', 0, 0]])],
      ['inventory', failed(502, 'inventory does not answer')],
      ['notification', counts([['order.events', 3, 3]])],
    ]);
    expect(overview).toMatchObject({ deadLetters: 5, notRedriven: 4 });
    expect(overview.services.map((s) => [s.service, s.topics.length, s.error?.message ?? null])).toEqual([
      ['order', 2, null],
      ['inventory', 0, 'inventory does not answer'],
      ['notification', 1, null],
    ]);
  });
});

describe('tokenRefusalOf', () => {
  const all = (answer: CountsAnswer) => (['order', 'inventory', 'supplier', 'notification'] as Upstream[]).map((s) => [s, answer] as const);

  it('asks to sign in when any service refused the token, or every one found a scope missing', () => {
    expect(tokenRefusalOf([['order', failed(401, 'bad token')], ['inventory', counts([])]])).toEqual({ statusCode: 401, message: 'bad token' });
    expect(tokenRefusalOf(all(failed(403, 'needs admin')))).toEqual({ statusCode: 403, message: 'needs admin' });
  });

  it('shows the rest when only some services failed for other reasons', () => {
    expect(tokenRefusalOf([['order', failed(403)], ['inventory', counts([])]])).toBeNull();
    expect(tokenRefusalOf(all(failed(502)))).toBeNull();
  });
});
