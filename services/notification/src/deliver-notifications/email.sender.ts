import nodemailer, { type Transporter } from 'nodemailer';
import type { DueDelivery } from './deliveries.repository.js';
import type { ChannelSender } from './channel-sender.js';
import { UndeliverableError } from './delivery-error.js';

export interface EmailSenderOptions {
  readonly smtpUrl: string;
  readonly from: string;
  readonly timeoutMs: number;
}

/** Plain-text email through the SMTP server of SMTP_URL, one connection per message so a restarted server is no issue. */
export class EmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;

  constructor(options: EmailSenderOptions) {
    this.transport = nodemailer.createTransport(
      {
        url: options.smtpUrl,
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
