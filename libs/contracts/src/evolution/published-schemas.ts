import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ContractRegistry } from '../message.js';
import { CONTRACT_REGISTRY } from '../registry.js';
import { contractSnapshot, type JsonSchema } from '../snapshot.js';
import { checkEvolution, type EvolutionViolation, type PublishedSchemas } from './evolution-gate.js';

// Layout of libs/contracts/published: `envelope.json` and `<Type>/v<N>.json`, one JSON Schema each.
const ENVELOPE_FILE = 'envelope.json';
const README_FILE = 'README.md';
const VERSION_FILE = /^v([1-9][0-9]*)\.json$/;

export function publishedFileOf(type: string, version: number): string {
  return `${type}/v${version}.json`;
}

/** The bytes a schema is published as: stable, so publishing the same schema twice gives the same file. */
export function serializeSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Reads what was published; a missing directory means nothing was. Refuses files that do not fit the layout. */
export function readPublishedSchemas(dir: string): PublishedSchemas {
  if (!fs.existsSync(dir)) return { envelope: null, messages: {} };
  let envelope: JsonSchema | null = null;
  const messages: Record<string, Record<number, JsonSchema>> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isFile() && entry.name === README_FILE) continue;
    if (entry.isFile() && entry.name === ENVELOPE_FILE) {
      envelope = readSchema(path.join(dir, entry.name));
    } else if (entry.isDirectory()) {
      messages[entry.name] = readVersions(dir, entry.name);
    } else {
      throw new Error(`unexpected ${entry.name} in ${dir}: expected ${ENVELOPE_FILE} and <Type>/v<N>.json`);
    }
  }
  return { envelope, messages };
}

function readVersions(dir: string, type: string): Record<number, JsonSchema> {
  const versions: Record<number, JsonSchema> = {};
  for (const entry of fs.readdirSync(path.join(dir, type), { withFileTypes: true })) {
    const match = entry.isFile() ? VERSION_FILE.exec(entry.name) : null;
    if (match === null) {
      throw new Error(`unexpected ${type}/${entry.name} in ${dir}: expected ${publishedFileOf(type, 1)}, v2.json, ...`);
    }
    versions[Number(match[1])] = readSchema(path.join(dir, type, entry.name));
  }
  return versions;
}

function readSchema(file: string): JsonSchema {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} does not hold a JSON Schema object`);
  }
  return parsed as JsonSchema;
}

export interface PublishReport {
  /** Files written now, relative to the published directory. */
  readonly written: readonly string[];
  /**
   * Published files the current schema differs from compatibly (e.g. an optional field added). They stay as they
   * are: they record what producers wrote, and the gate keeps checking the current schema against them.
   */
  readonly kept: readonly string[];
  /** Non-empty means nothing was written: the registry breaks a published schema. */
  readonly violations: readonly EvolutionViolation[];
}

/**
 * Publishes every schema of the registry not published yet. Never overwrites a published file, and writes nothing
 * while the registry breaks what was published (the evolution gate's violations are returned instead).
 */
export function publishSchemas(dir: string, registry: ContractRegistry = CONTRACT_REGISTRY): PublishReport {
  const published = readPublishedSchemas(dir);
  const violations = checkEvolution(published, registry);
  if (violations.length > 0) return { written: [], kept: [], violations };

  const snapshot = contractSnapshot(registry);
  const candidates: { file: string; schema: JsonSchema; existing: JsonSchema | undefined }[] = [
    { file: ENVELOPE_FILE, schema: snapshot.envelope, existing: published.envelope ?? undefined },
  ];
  for (const [type, message] of Object.entries(snapshot.messages)) {
    for (const [version, schema] of Object.entries(message.versions)) {
      candidates.push({ file: publishedFileOf(type, Number(version)), schema, existing: published.messages[type]?.[Number(version)] });
    }
  }

  const written: string[] = [];
  const kept: string[] = [];
  for (const { file, schema, existing } of candidates) {
    if (existing !== undefined) {
      if (!isDeepStrictEqual(existing, JSON.parse(JSON.stringify(schema)))) kept.push(file);
      continue;
    }
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // 'wx' fails if the file appeared since it was read: a published file is never replaced, even in a race.
    fs.writeFileSync(target, serializeSchema(schema), { flag: 'wx' });
    written.push(file);
  }
  return { written, kept, violations: [] };
}
