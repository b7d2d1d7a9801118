import type { ContractRegistry } from '../message.js';
import { CONTRACT_REGISTRY } from '../registry.js';
import { contractSnapshot, type JsonSchema } from '../snapshot.js';
import { findIncompatibilities, type IncompatibilityRule } from './schema-compatibility.js';

/** What `libs/contracts/published` holds: every schema ever released, as released. */
export interface PublishedSchemas {
  /** The envelope as last published; null before the first publication. */
  readonly envelope: JsonSchema | null;
  /** `data` schemas by message type and dataversion. */
  readonly messages: Readonly<Record<string, Readonly<Record<number, JsonSchema>>>>;
}

export type EvolutionRule = IncompatibilityRule | 'type-unknown' | 'version-unknown' | 'upcaster-missing';

export interface EvolutionViolation {
  /** The message type, or `envelope`. */
  readonly type: string;
  /** The published dataversion at stake; null for the envelope. */
  readonly version: number | null;
  /** JSONPath into the envelope: `$.data...` for message data. */
  readonly path: string;
  readonly rule: EvolutionRule;
  /** One line naming type, version, path and what broke. */
  readonly message: string;
}

export interface UnpublishedSchema {
  readonly type: string;
  readonly version: number | null;
}

export const ENVELOPE = 'envelope';

/**
 * The schema-evolution gate, BACKWARD_TRANSITIVE: a consumer on the current registry must read data written with
 * ANY published schema. For every published `data` schema of a type at dataversion n:
 * - the registry still knows the type and keeps a schema for n (`type-unknown`, `version-unknown`);
 * - that schema accepts everything the published one did (the rules of `findIncompatibilities`);
 * - when n is older than the current version, an upcaster chain leads from n to it (`upcaster-missing`), since
 *   consumers read old data by validating it at n and upcasting it step by step.
 * So a breaking change is accepted only as a new dataversion with an upcaster; the same change made in place to a
 * published version is refused. The envelope has no versions: any change must keep accepting what it accepted.
 */
export function checkEvolution(published: PublishedSchemas, registry: ContractRegistry = CONTRACT_REGISTRY): EvolutionViolation[] {
  const snapshot = contractSnapshot(registry);
  const violations: EvolutionViolation[] = [];
  if (published.envelope !== null) {
    for (const issue of findIncompatibilities(published.envelope, snapshot.envelope)) {
      violations.push(violation(ENVELOPE, null, issue.path, issue.rule, issue.detail));
    }
  }

  for (const type of Object.keys(published.messages).sort()) {
    const contract = Object.hasOwn(registry, type) ? registry[type] : undefined;
    const versions = Object.keys(published.messages[type]).map(Number).sort((a, b) => a - b);
    for (const version of versions) {
      if (contract === undefined) {
        violations.push(violation(type, version, '$', 'type-unknown', 'published, but the registry has no such message type'));
        continue;
      }
      const current = snapshot.messages[type].versions[String(version)];
      if (current === undefined) {
        violations.push(
          violation(type, version, '$', 'version-unknown', `published, but the registry has no dataversion ${version} (current is ${contract.currentVersion})`),
        );
        continue;
      }
      for (const issue of findIncompatibilities(published.messages[type][version], current, '$.data')) {
        violations.push(violation(type, version, issue.path, issue.rule, issue.detail));
      }
      for (let step = version; step < contract.currentVersion; step++) {
        if (typeof contract.upcasters[step] !== 'function') {
          violations.push(
            violation(type, version, '$', 'upcaster-missing', `no upcaster from dataversion ${step} to ${step + 1}, so v${version} data cannot reach v${contract.currentVersion}`),
          );
          break;
        }
      }
    }
  }
  return violations;
}

/** Schemas of the registry not in `published` yet: `npm run contracts:publish` writes them. */
export function unpublishedSchemas(published: PublishedSchemas, registry: ContractRegistry = CONTRACT_REGISTRY): UnpublishedSchema[] {
  const unpublished: UnpublishedSchema[] = published.envelope === null ? [{ type: ENVELOPE, version: null }] : [];
  for (const [type, message] of Object.entries(contractSnapshot(registry).messages)) {
    for (const version of Object.keys(message.versions).map(Number)) {
      if (published.messages[type]?.[version] === undefined) unpublished.push({ type, version });
    }
  }
  return unpublished;
}

function violation(type: string, version: number | null, path: string, rule: EvolutionRule, detail: string): EvolutionViolation {
  const label = version === null ? type : `${type} v${version}`;
  return { type, version, path, rule, message: `${label} ${path}: ${detail} [${rule}]` };
}
