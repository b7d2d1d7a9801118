import type { Upstream } from '../console.config.js';
import type { DeadLetterCounts, DeadLetterOverview, ServiceDeadLetters } from '../client/console-api.js';

export type { DeadLetterCounts, DeadLetterOverview, ServiceDeadLetters };


export type CountsAnswer = { ok: true; body: DeadLetterCounts } | { ok: false; error: { statusCode: number; message: string } };

/**
 * Every service's dead letters per topic it consumes: dead letters belong to the consumer that wrote them, so each
 * service answers for its own. A service that cannot answer is shown with its error; the others still are.
 */
export function deadLetterOverviewOf(answers: readonly (readonly [Upstream, CountsAnswer])[]): DeadLetterOverview {
  const services = answers.map(([service, answer]): ServiceDeadLetters =>
    answer.ok
      ? { service, consumerGroup: answer.body.consumerGroup, topics: answer.body.topics, error: null }
      : { service, consumerGroup: null, topics: [], error: answer.error },
  );
  const all = services.flatMap((s) => s.topics);
  return {
    services,
    deadLetters: all.reduce((n, t) => n + t.deadLetters, 0),
    notRedriven: all.reduce((n, t) => n + t.notRedriven, 0),
  };
}

/**
 * A refused token is the operator's problem on every service at once: if any service refused it (401, or 403 from
 * all of them), the page asks to sign in instead of showing four errors.
 */
export function tokenRefusalOf(answers: readonly (readonly [Upstream, CountsAnswer])[]): { statusCode: 401 | 403; message: string } | null {
  const failed = answers.flatMap(([, a]) => (a.ok ? [] : [a.error]));
  const unauthorized = failed.find((e) => e.statusCode === 401);
  if (unauthorized) return { statusCode: 401, message: unauthorized.message };
  if (failed.length === answers.length && failed.length > 0 && failed.every((e) => e.statusCode === 403)) return { statusCode: 403, message: failed[0]!.message };
  return null;
}
