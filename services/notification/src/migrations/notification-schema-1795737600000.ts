import type { MigrationInterface, QueryRunner } from 'typeorm';

// Read models and work queues of the notification service. The customers' facts themselves live in the event store
// (streams `customer-<customerId>`); everything here is written in the same transaction as those facts.
const up = [
  // The only place an email address is kept: the stored facts say when an address was given, not which one, so
  // deleting a row here forgets the address for good although the event streams are append-only.
  `CREATE TABLE customer_emails (
     customer_id text        PRIMARY KEY,
     email       text        NOT NULL,
     given_at    timestamptz NOT NULL,
     updated_at  timestamptz NOT NULL DEFAULT now()
   )`,

  // Orders whose OrderPlaced was read (via 'placed'), or given up waiting for (via 'timeout'): inventory events of any
  // other order are parked until one of the two happens.
  `CREATE TABLE known_orders (
     order_id    text        PRIMARY KEY,
     customer_id text        NOT NULL,
     via         text        NOT NULL CHECK (via IN ('placed', 'timeout')),
     known_at    timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX known_orders_customer ON known_orders (customer_id)`,

  `CREATE TABLE parked_events (
     seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     order_id    text        NOT NULL,
     sku         text,
     event_id    text        NOT NULL,
     event_type  text        NOT NULL,
     envelope    jsonb       NOT NULL,
     parked_at   timestamptz NOT NULL DEFAULT now(),
     UNIQUE (order_id, event_id)
   )`,
  `CREATE INDEX parked_events_order ON parked_events (order_id, seq)`,
  `CREATE INDEX parked_events_sku ON parked_events (sku) WHERE sku IS NOT NULL`,
  `CREATE INDEX parked_events_parked_at ON parked_events (parked_at)`,

  // Customers told a SKU is out of stock and not yet told it is back: whom a BackInStock concerns.
  `CREATE TABLE restock_waits (
     sku         text        NOT NULL,
     customer_id text        NOT NULL,
     order_id    text        NOT NULL,
     since       timestamptz NOT NULL,
     PRIMARY KEY (sku, customer_id)
   )`,

  `CREATE TABLE notifications (
     notification_id text        PRIMARY KEY,
     customer_id     text        NOT NULL,
     order_id        text        NOT NULL,
     sku             text,
     kind            text        NOT NULL,
     channel         text        NOT NULL CHECK (channel IN ('in-app', 'email', 'webhook')),
     subject         text        NOT NULL,
     message         text        NOT NULL,
     source_event_id text        NOT NULL,
     occurred_at     timestamptz NOT NULL,
     created_at      timestamptz NOT NULL DEFAULT now(),
     seq             bigint      GENERATED ALWAYS AS IDENTITY UNIQUE
   )`,
  `CREATE INDEX notifications_customer_order ON notifications (customer_id, occurred_at, seq)`,

  `CREATE TABLE deliveries (
     notification_id text        PRIMARY KEY REFERENCES notifications (notification_id),
     channel         text        NOT NULL CHECK (channel IN ('email', 'webhook')),
     status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
     attempts        integer     NOT NULL DEFAULT 0,
     next_attempt_at timestamptz NOT NULL DEFAULT now(),
     last_error      text,
     sent_at         timestamptz,
     updated_at      timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX deliveries_due ON deliveries (channel, next_attempt_at) WHERE status = 'pending'`,
];

const down = [
  'DROP TABLE IF EXISTS deliveries',
  'DROP TABLE IF EXISTS notifications',
  'DROP TABLE IF EXISTS restock_waits',
  'DROP TABLE IF EXISTS parked_events',
  'DROP TABLE IF EXISTS known_orders',
  'DROP TABLE IF EXISTS customer_emails',
];

// TypeORM takes the migration's timestamp from the last 13 digits of its name.
export class NotificationSchema1795737600000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of up) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of down) await queryRunner.query(statement);
  }
}
