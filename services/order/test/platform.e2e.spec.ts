// What every service gets from libs/platform, shown through the order service running as a process: the one-line
// configuration error, migrations on first start only, and /health following its database and broker.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ALL_TOPICS } from '@fulfillment/contracts';
import {
  eventually,
  freePortPair,
  httpRequest,
  spawnService,
  createTopicsReady,
  startPrivateKafka,
  startPrivatePostgres,
  troublesIn,
  withDatabase,
  type PrivateKafka,
  type PrivatePostgres,
  type ServiceProcess,
} from '@fulfillment/testing';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';

async function health(svc: ServiceProcess) {
  const res = await fetch(`${svc.url}/health`);
  return { status: res.status, body: (await res.json()) as { status: string; down?: string[] } };
}

/** Waits for 200; a timeout names the last health body and the service's warnings and errors meanwhile. */
async function healthyAgain(svc: ServiceProcess, timeoutMs: number, what: string) {
  try {
    await eventually(
      async () => {
        const h = await health(svc);
        if (h.status !== 200) throw new Error(`last answer ${h.status} ${JSON.stringify(h.body)}`);
        return true;
      },
      { timeoutMs, what },
    );
  } catch (error) {
    (error as Error).message += `\nthe service logged:\n${troublesIn(svc.output(), 40).join('\n')}`;
    throw error;
  }
}

describe('a bad setting', () => {
  it.each([
    ['KAFKA_BROKERS', { KAFKA_BROKERS: 'nonsense' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://db/orders' }],
    ['PORT', { PORT: 'eighty' }],
  ])('%s stops the service with one line naming it', async (setting, env) => {
    const svc = spawnService('order', { PORT: '3999', ...env });
    expect(await svc.exited).toBe(78);
    const lines = svc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^order-service: invalid configuration: ${setting} is invalid`));
  });
});

describe('with a database and a broker of its own', () => {
  let kafka: PrivateKafka;
  let postgres: PrivatePostgres;
  let svc: ServiceProcess;
  let databaseUrl: string;

  beforeAll(async () => {
    [kafka, postgres] = await Promise.all([startPrivateKafka(), startPrivatePostgres()]);
    const admin = new Kafka({ clientId: 'setup', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await createTopicsReady(admin, ALL_TOPICS.flatMap((topic) => [{ topic }, { topic: `${topic}.dlq` }]));
    await admin.disconnect();
    databaseUrl = withDatabase(postgres.url, 'fulfillment_order');
    svc = spawnService('order', { PORT: String(await freePortPair()), KAFKA_BROKERS: kafka.brokers.join(','), DATABASE_URL: databaseUrl });
    await svc.waitHealthy(90_000);
  }, 180_000);

  afterAll(async () => {
    await svc?.stop();
    await Promise.all([kafka?.dispose(), postgres?.dispose()]);
  }, 60_000);

  it('created its database and applied its migrations on first start, and applies none on the second', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const before = (await client.query('SELECT name FROM typeorm_migrations ORDER BY id')).rows;
    expect(before.length).toBeGreaterThan(0);
    expect(svc.output()).toContain('migrations applied');

    await svc.stop();
    svc = spawnService('order', { PORT: new URL(svc.url).port, KAFKA_BROKERS: kafka.brokers.join(','), DATABASE_URL: databaseUrl });
    await svc.waitHealthy(90_000);
    expect(svc.output()).not.toContain('migrations applied');
    expect((await client.query('SELECT name FROM typeorm_migrations ORDER BY id')).rows).toEqual(before);
    await client.end();
  }, 180_000);

  it('answers 200 while both are up, and GET /metrics in Prometheus text', async () => {
    expect(await health(svc)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
    const metrics = await fetch(`${svc.url}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await metrics.text()).toMatch(/^process_cpu_user_seconds_total\{service="order"\} /m);
  });

  it('logs a refused request at info and a successful one only at debug, never with its body', async () => {
    const customerId = `log-${Date.now()}`;
    const ok = await httpRequest<{ orderId: string }>(svc.url, 'GET', `/orders?customerId=${customerId}`);
    const refused = await httpRequest(svc.url, 'POST', '/orders', { body: { customerId, email: 'ada@example.com', lines: [] } });
    expect([ok.status, refused.status]).toEqual([200, 400]);
    const requestLines = () =>
      svc
        .output()
        .split('\n')
        .filter((line) => line.includes(customerId) || line.includes('"statusCode":400'))
        .map((line) => JSON.parse(line) as { level: number; req?: { method: string }; res?: { statusCode: number } });
    await eventually(() => (requestLines().some((line) => line.res?.statusCode === 400) ? true : undefined), { what: 'the 400 logged' });
    expect(requestLines().map((line) => [line.level, line.req?.method, line.res?.statusCode])).toEqual([[30, 'POST', 400]]);
    expect(svc.output()).not.toContain('ada@example.com');
  });

  it('turns 503 naming the database while it is stopped, and 200 when it is back', async () => {
    await postgres.stop();
    const down = await eventually(async () => {
      const h = await health(svc);
      return h.status === 503 ? h : undefined;
    }, { timeoutMs: 30_000, what: '503 with the database down' });
    expect(down.body.down).toEqual(['database']);
    await postgres.start();
    await healthyAgain(svc, 60_000, '200 after the database is back');
  }, 120_000);

  it('turns 503 naming kafka while the broker is down, and 200 when it is back', async () => {
    await kafka.stop();
    const down = await eventually(async () => {
      const h = await health(svc);
      return h.status === 503 ? h : undefined;
    }, { timeoutMs: 30_000, what: '503 with the broker down' });
    expect(down.body.down).toEqual(['kafka']);
    await kafka.start();
    await healthyAgain(svc, 90_000, '200 after the broker is back');
  }, 180_000);
});
