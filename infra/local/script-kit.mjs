// What every script of infra/ (benches, the release fixture, the isolated services) needs around the services: a
// free port, waiting for a condition, producing many envelopes, a JSON request with a bearer token.
import net from 'node:net';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const handedOut = new Set();

// Below Linux's ephemeral range (32768+), where an outgoing connection could take the port between check and bind.
export async function freePort() {
  for (let i = 0; i < 50; i++) {
    const port = 12000 + Math.floor(Math.random() * 20000);
    // A port given to a service that does not listen yet is not free: never hand one out twice.
    if (handedOut.has(port)) continue;
    const free = await new Promise((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      // The address the services listen on (all interfaces), not only loopback.
      server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
    });
    if (free) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('no free port found');
}

/** Polls `probe` until it returns something truthy, which is returned; throws naming `what` after `timeoutMs`. */
export async function until(what, probe, { timeoutMs = 60_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${(timeoutMs / 1000).toFixed(2)} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Produces envelopes on one topic, keyed by subject, a thousand per request, with a producer of its own. */
export async function produceEnvelopes(kafka, topic, envelopes, encode = JSON.stringify) {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < envelopes.length; i += 1000) {
      const messages = envelopes.slice(i, i + 1000).map((envelope) => ({ key: envelope.subject, value: encode(envelope) }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** A JSON request; the answer's body parsed (undefined when empty). No status is an error: the caller decides. */
export async function requestJson(method, url, { body, token, headers = {} } = {}) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
