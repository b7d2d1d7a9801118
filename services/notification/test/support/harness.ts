// Runs the notification service (on the shared ServiceUnderTest) against the real broker and PostgreSQL, with a real SMTP server and a
// real HTTP endpoint for webhooks in this test process: events go in on the service's prefixed topics, and what it
// records, publishes, mails and posts comes out.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from '@jest/globals';
import { dlqTopicOf, messageTopic, TOPICS, type AnyEnvelope, type MessageData, type MessageType } from '@fulfillment/contracts';
import { eventually, ServiceUnderTest, type NotificationView, type ServiceProcess } from '@fulfillment/testing';
import type pg from 'pg';
import { SMTPServer } from 'smtp-server';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export interface ReceivedMail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly headers: Record<string, string>;
}

export interface ReceivedWebhook {
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: string;
  readonly body: { id: string; customerId: string; kind: string; message: string; orderId: string; sku: string | null };
  /** The status the endpoint answered. */
  readonly status: number;
}

export interface ConsumedRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** Decodes a text/plain body as nodemailer writes it (quoted-printable or base64 for long or non-ASCII text). */
function decodeBody(headers: Record<string, string>, body: string): string {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding !== 'quoted-printable') return body;
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function parseMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { to, subject: headers.subject ?? '', text: decodeBody(headers, raw.slice(split + 4)), headers };
}

/** A real SMTP server; `rejectFirst` makes it refuse the first attempts for an address, echoing it as servers do. */
export class TestSmtpServer {
  readonly mails: ReceivedMail[] = [];
  /** SMTP connections opened to this server so far */
  connections = 0;
  private readonly rejections = new Map<string, number>();
  private server: SMTPServer | undefined;

  constructor(readonly port: number) {}

  rejectFirst(address: string, times: number): void {
    this.rejections.set(address, times);
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onConnect: (_session, callback) => {
        this.connections += 1;
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        const left = this.rejections.get(address.address) ?? 0;
        if (left > 0) {
          this.rejections.set(address.address, left - 1);
          const error = Object.assign(new Error(`<${address.address}>: mailbox temporarily unavailable`), { responseCode: 450 });
          callback(error);
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address)));
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  mailsTo(address: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.to.includes(address));
  }
}

/** A real HTTP endpoint for webhooks; `failFirst` answers 500 to the first requests about a customer. */
export class TestWebhookEndpoint {
  readonly received: ReceivedWebhook[] = [];
  private readonly failures = new Map<string, number>();
  private readonly hangs = new Map<string, number>();
  private server: http.Server | undefined;

  failFirst(customerId: string, times: number): void {
    this.failures.set(customerId, times);
  }

  /** Never answers the first requests about a customer (recorded with status 0), as a stuck endpoint would. */
  hangFirst(customerId: string, times: number): void {
    this.hangs.set(customerId, times);
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(rawBody) as ReceivedWebhook['body'];
        const hangsLeft = this.hangs.get(body.customerId) ?? 0;
        if (hangsLeft > 0) {
          this.hangs.set(body.customerId, hangsLeft - 1);
          this.received.push({ headers: req.headers, rawBody, body, status: 0 });
          return;
        }
        const left = this.failures.get(body.customerId) ?? 0;
        const status = left > 0 ? 500 : 204;
        if (left > 0) this.failures.set(body.customerId, left - 1);
        this.received.push({ headers: req.headers, rawBody, body, status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/notifications`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  delivered(customerId: string): ReceivedWebhook[] {
    return this.received.filter((hook) => hook.body.customerId === customerId && hook.status >= 200 && hook.status < 300);
  }
}

export interface HarnessOptions {
  /** Extra environment for the service (SMTP_URL, WEBHOOK_URL, retry settings, ...). */
  env?: Record<string, string>;
}

const SOURCE_OF: Record<string, string> = {
  [TOPICS.orderEvents]: 'order',
  [TOPICS.inventoryEvents]: 'inventory',
  [TOPICS.supplierEvents]: 'supplier',
};

export class NotificationHarness {
  private sut!: ServiceUnderTest;

  async start(options: HarnessOptions = {}): Promise<void> {
    this.sut = await ServiceUnderTest.startService('notification', { env: options.env ?? {}, healthTimeoutMs: 60_000 });
  }

  get svc(): ServiceProcess {
    return this.sut.service;
  }

  /** notification.events and the dead letters of what the service consumes, as read so far. */
  get published(): ConsumedRecord[] {
    return [TOPICS.notificationEvents, ...CONSUMED.map((topic) => dlqTopicOf(topic))].flatMap((topic) => this.sut.received(topic));
  }

  async stop(): Promise<void> {
    await this.sut?.stop();
  }

  envelope<T extends MessageType>(type: T, data: MessageData<T>, meta: { time: string; id?: string; correlationId?: string }): AnyEnvelope {
    return this.sut.envelope(type, data, { source: SOURCE_OF[messageTopic(type)] ?? 'test', ...meta });
  }

  /** Produces the envelopes in order, each on its contract topic under this test's prefix, keyed by its subject. */
  async produce(...envelopes: AnyEnvelope[]): Promise<void> {
    for (const envelope of envelopes) await this.sut.send(messageTopic(envelope.type), envelope);
  }

  async produceRaw(contractTopic: string, key: string, value: string): Promise<void> {
    await this.sut.sendRaw(contractTopic, [{ key, value }]);
  }

  /** Waits until the service's consumer group has committed everything produced so far on the topics it reads. */
  waitUntilConsumed(timeoutMs = 30_000): Promise<void> {
    return this.sut.waitUntilConsumed(CONSUMED, timeoutMs);
  }

  async notificationsOf(customerId: string, token?: string): Promise<{ status: number; body: unknown }> {
    const { status, body } = await this.sut.http('GET', `/customers/${encodeURIComponent(customerId)}/notifications`, token ? { token } : {});
    return { status, body };
  }

  async listOf(customerId: string): Promise<NotificationView[]> {
    const { status, body } = await this.notificationsOf(customerId);
    return status === 200 ? (body as NotificationView[]) : [];
  }

  /** Waits until the customer's list satisfies `done`, and returns it. */
  async waitForList(customerId: string, done: (list: NotificationView[]) => boolean, what: string, timeoutMs = 30_000) {
    return eventually(
      async () => {
        const list = await this.listOf(customerId);
        return done(list) ? list : undefined;
      },
      { timeoutMs, what },
    );
  }

  eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
    return eventually(probe, { timeoutMs, what });
  }

  waitForMails(smtp: TestSmtpServer, address: string, count: number, timeoutMs = 30_000): Promise<ReceivedMail[]> {
    return eventually(() => (smtp.mailsTo(address).length >= count ? smtp.mailsTo(address) : undefined), {
      timeoutMs,
      what: `${count} mails`,
    });
  }

  customerNotified(customerId?: string): AnyEnvelope[] {
    return this.sut
      .received(TOPICS.notificationEvents)
      .map((record) => JSON.parse(record.value) as AnyEnvelope)
      .filter((envelope) => customerId === undefined || envelope.subject === customerId);
  }

  deadLetters(contractTopic: string): ConsumedRecord[] {
    return this.sut.deadLetters(contractTopic);
  }

  query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return this.sut.query<R>(text, values);
  }
}

const CONSUMED = [TOPICS.orderEvents, TOPICS.inventoryEvents, TOPICS.supplierEvents];

export { notificationKinds as kinds, type NotificationView } from '@fulfillment/testing';

/** Reserves a port for a server that is started later (SMTP "down" first). */
export async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface MailingService {
  readonly h: NotificationHarness;
  /** The SMTP server the service mails. */
  readonly smtp: TestSmtpServer;
}

export interface MailingOptions {
  /** Also post webhooks to this endpoint (started here, WEBHOOK_URL and WEBHOOK_SECRET set). */
  webhook?: TestWebhookEndpoint;
  /** Reserve the SMTP server's port but leave it to the test to start it: the mail server is down at first. */
  smtpDown?: boolean;
}

/**
 * Registers the hooks that start a real SMTP server and the service mailing it (SMTP_URL, and `env`) before the
 * file's tests, and stop them after them.
 */
export function notificationWithSmtp(env: Record<string, string> = {}, { webhook, smtpDown = false }: MailingOptions = {}): MailingService {
  const h = new NotificationHarness();
  let smtp: TestSmtpServer | undefined;
  beforeAll(async () => {
    const server = new TestSmtpServer(await freePort());
    smtp = server;
    if (!smtpDown) await server.start();
    const webhookEnv: Record<string, string> = webhook ? { WEBHOOK_URL: await webhook.start(), WEBHOOK_SECRET } : {};
    await h.start({ env: { SMTP_URL: `smtp://127.0.0.1:${server.port}`, ...webhookEnv, ...env } });
  }, 120_000);
  afterAll(async () => {
    await h.stop();
    await Promise.allSettled([smtp?.stop(), webhook?.stop()]);
  }, 60_000);
  return {
    h,
    get smtp() {
      if (!smtp) throw new Error('the SMTP server is made in beforeAll');
      return smtp;
    },
  };
}
