// Where this library's tests find Kafka: the environment (or the local default). Their databases come from
// @fulfillment/testing (pg-fixtures.ts).
export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}
