import { Kafka, logLevel, type LogEntry, type logCreator, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** TLS to the brokers; `ca` (PEM text) is trusted instead of the system's CAs. */
  ssl?: true | { ca: string };
  sasl?: { mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain'; username: string; password: string };
}

/** A kafkajs client whose own logs go to pino as structured records instead of kafkajs' JSON lines on stdout. */
export function createKafka(settings: KafkaSettings, logger?: Logger): Kafka {
  if (settings.brokers.length === 0) throw new Error('KafkaSettings.brokers must name at least one broker');
  const { ssl, sasl } = settings;
  return new Kafka({
    brokers: settings.brokers,
    clientId: settings.clientId,
    ...(ssl === undefined ? {} : { ssl: ssl === true ? true : { ca: [ssl.ca] } }),
    ...(sasl === undefined ? {} : { sasl: saslOptionsOf(sasl) }),
    ...(logger ? { logCreator: pinoLogCreator(logger), logLevel: kafkaLevelOf(logger) } : {}),
  });
}

/** One object for the three mechanisms kafkajs types apart: all take the same username and password. */
function saslOptionsOf({ mechanism, username, password }: NonNullable<KafkaSettings['sasl']>): SASLOptions {
  return { mechanism, username, password };
}

function pinoLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () => (entry: LogEntry) => {
    // kafkajs puts its own timestamp and logger name in every entry; pino has both already.
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry.log as unknown as {
      message: string;
      timestamp: string;
      logger: string;
    } & Record<string, unknown>;
    const record = { namespace: entry.namespace, ...fields };
    switch (entry.level) {
      case logLevel.ERROR:
        kafkaLogger.error(record, message);
        break;
      case logLevel.WARN:
        kafkaLogger.warn(record, message);
        break;
      case logLevel.INFO:
        kafkaLogger.info(record, message);
        break;
      default:
        kafkaLogger.debug(record, message);
    }
  };
}

// kafkajs filters below its own level before calling the log creator: keep it in step with pino's so debug logging
// can be switched on from one place.
function kafkaLevelOf(logger: Logger): logLevel {
  switch (logger.level) {
    case 'trace':
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'silent':
      return logLevel.NOTHING;
    default:
      return logLevel.ERROR;
  }
}
