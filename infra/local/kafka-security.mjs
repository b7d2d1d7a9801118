// The KAFKA_SSL / KAFKA_SSL_CA_FILE / KAFKA_SASL_* settings as kafkajs client options, for the scripts and the test
// helpers (the services validate the same settings in libs/platform/src/config.ts, with the same rules).
import fs from 'node:fs';

export const SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'];

export class KafkaSecurityError extends Error {}

/**
 * `{ ssl?, sasl? }` to spread into `new Kafka({...})`; `{}` when nothing is set. Throws a KafkaSecurityError naming the
 * setting at fault, never echoing a password.
 * @param {NodeJS.ProcessEnv} env
 */
export function kafkaSecurityFromEnv(env = process.env) {
  const ssl = env.KAFKA_SSL ?? 'false';
  if (ssl !== 'true' && ssl !== 'false') throw new KafkaSecurityError(`KAFKA_SSL is invalid (${JSON.stringify(ssl)}): must be true or false`);
  const caFile = env.KAFKA_SSL_CA_FILE;
  const mechanism = env.KAFKA_SASL_MECHANISM;
  const username = env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  const options = {};
  if (caFile !== undefined && caFile !== '') {
    if (ssl !== 'true') throw new KafkaSecurityError('KAFKA_SSL is not true: KAFKA_SSL_CA_FILE is set, which only TLS uses');
    let pem;
    try {
      pem = fs.readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new KafkaSecurityError(`KAFKA_SSL_CA_FILE is invalid (${JSON.stringify(caFile)}): cannot be read (${error.code ?? error.message})`);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new KafkaSecurityError(`KAFKA_SSL_CA_FILE is invalid (${JSON.stringify(caFile)}): holds no PEM certificate`);
    }
    options.ssl = { ca: [pem] };
  } else if (ssl === 'true') {
    options.ssl = true;
  }
  if (mechanism !== undefined && mechanism !== '') {
    if (!SASL_MECHANISMS.includes(mechanism)) {
      throw new KafkaSecurityError(`KAFKA_SASL_MECHANISM is invalid (${JSON.stringify(mechanism)}): must be one of ${SASL_MECHANISMS.join(', ')}`);
    }
    if (!username) throw new KafkaSecurityError(`KAFKA_SASL_USERNAME is missing: KAFKA_SASL_MECHANISM=${mechanism} needs a username and a password`);
    if (!password) throw new KafkaSecurityError(`KAFKA_SASL_PASSWORD is missing: KAFKA_SASL_MECHANISM=${mechanism} needs a username and a password`);
    options.sasl = { mechanism, username, password };
  } else if (username || password) {
    throw new KafkaSecurityError(`KAFKA_SASL_MECHANISM is missing: ${username ? 'KAFKA_SASL_USERNAME' : 'KAFKA_SASL_PASSWORD'} is set, and a mechanism says how to use it`);
  }
  return options;
}
