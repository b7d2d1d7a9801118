import nodemailer, { type Transporter } from 'nodemailer';
import type { DueDelivery } from './deliveries.repository.js';
import type { ChannelSender } from './channel-sender.js';
import { UndeliverableError } from './delivery-error.js';

export interface EmailSenderOptions {
  readonly smtpUrl: string;
  readonly from: string;
  readonly timeoutMs: number;
  /** SMTP connections kept open and reused (the delivery worker's concurrency: one per send in flight) */
  readonly connections: number;
}

/**
 * Plain-text email through the SMTP server of SMTP_URL over a pool of reused connections (a TCP and SMTP handshake per
 * message was most of a send's cost). A connection the server closed or lost is replaced by the pool at the next send,
 * so a restarted server is no issue; a send that fails on it is retried by the delivery worker.
 */
export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;

  constructor(options: EmailSenderOptions) {
    this.transport = nodemailer.createTransport(
      {
        url: options.smtpUrl,
        pool: true,
        maxConnections: options.connections,
        connectionTimeout: options.timeoutMs,
        greetingTimeout: options.timeoutMs,
        socketTimeout: options.timeoutMs,
        // nodemailer's own logger would print envelopes, i.e. addresses.
        logger: false,
        debug: false,
      },
      { from: options.from },
    );
  }

  async send(delivery: DueDelivery): Promise<void> {
    if (delivery.emailTo === null) throw new UndeliverableError('no email address on file for the customer');
    await this.transport.sendMail({
      to: delivery.emailTo,
      subject: delivery.subject,
      text: delivery.message,
      // A stable Message-ID lets mail clients fold the copy a crash between sending and recording may cause.
      messageId: `<${delivery.notificationId}@notification.fulfillment>`,
      headers: { 'X-Notification-Id': delivery.notificationId, 'X-Notification-Kind': delivery.kind },
    });
  }

  close(): void {
    this.transport.close();
  }
}
