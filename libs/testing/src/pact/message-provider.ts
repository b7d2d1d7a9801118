import { isMessageType, messageTopic, type Envelope } from '@fulfillment/contracts';
import type { MessageProvider } from '@pact-foundation/pact';
import { pactFilesFor } from './pact-files.js';

/** Produces the envelope the provider publishes in the situation a message description names. */
export type EnvelopeProducer = () => Envelope | Promise<Envelope>;

export interface MessageProviderVerification {
  /** The provider's name in the pacts, e.g. `inventory-service`. */
  provider: string;
  /**
   * One producer per message description the consumers' pacts name. A description without a producer fails the
   * verification: a consumer started relying on a message the provider does not know it has to keep producing.
   */
  messages: Readonly<Record<string, EnvelopeProducer>>;
  /** Defaults to every pact in `<repo>/pacts` whose provider is `provider`. */
  pactFiles?: readonly string[];
}

/**
 * Replays every message of the provider's pacts against its producers and rejects when one of them does not match
 * what a consumer expects (see `pactMismatches` for the reasons). The record's metadata is what every service puts
 * on Kafka: the contract topic of the type, and the subject as key.
 */
export async function verifyMessageProvider({ provider, messages, pactFiles }: MessageProviderVerification): Promise<void> {
  const { MessageProviderPact } = await import('@pact-foundation/pact');
  const messageProviders: Record<string, MessageProvider> = {};
  for (const [description, produce] of Object.entries(messages)) {
    messageProviders[description] = async () => {
      const envelope = await produce();
      if (!isMessageType(envelope.type)) throw new Error(`"${description}" produced an unknown type ${envelope.type}`);
      return { __pactMessageMetadata: { topic: messageTopic(envelope.type), key: envelope.subject }, message: envelope };
    };
  }
  await new MessageProviderPact({
    provider,
    pactUrls: [...(pactFiles ?? pactFilesFor(provider))],
    messageProviders,
    failIfNoPactsFound: true,
    logLevel: 'warn',
  }).verify();
}

export interface PactMismatch {
  /** `Verifying a pact between <consumer> and <provider> - <description>` */
  interaction: string;
  /** Where: a JSON path in the message (`$.data`), `metadata.<key>` for the record's metadata, else empty. */
  path: string;
  mismatch: string;
}

interface VerificationReport {
  errors?: {
    interaction?: string;
    mismatch?: { mismatches?: { path?: string; key?: string; mismatch?: string }[]; message?: string };
  }[];
}

/**
 * The mismatches a failed `verifyMessageProvider` reports, one per problem. Throws when `error` is not a Pact
 * verification report, so that a test expecting a particular mismatch cannot pass on an unrelated failure.
 */
export function pactMismatches(error: unknown): PactMismatch[] {
  let report: VerificationReport;
  try {
    report = JSON.parse(error instanceof Error ? error.message : String(error)) as VerificationReport;
  } catch {
    throw new Error(`not a Pact verification report: ${String(error)}`, { cause: error });
  }
  if (!Array.isArray(report.errors)) throw new Error(`not a Pact verification report: ${String(error)}`, { cause: error });
  return report.errors.flatMap(({ interaction = '', mismatch }) => {
    const found = mismatch?.mismatches ?? [];
    if (found.length === 0) return [{ interaction, path: '', mismatch: mismatch?.message ?? 'verification failed' }];
    return found.map((m) => ({
      interaction,
      path: m.path ?? (m.key === undefined ? '' : `metadata.${m.key}`),
      mismatch: m.mismatch ?? '',
    }));
  });
}
