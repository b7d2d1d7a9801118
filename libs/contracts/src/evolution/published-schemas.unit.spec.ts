import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  contractSnapshot,
  CONTRACT_REGISTRY,
  defineMessage,
  publishSchemas,
  readPublishedSchemas,
  registryOf,
  serializeSchema,
} from '../index.js';
import { madeUpEvent } from '../made-up-event.spec-helper.js';

const crateV1 = madeUpEvent('CrateSealed', 'A crate was sealed.', z.object({ crateId: z.string(), sku: z.string() }), {
  crateId: 'c-1',
  sku: 'SKU-1',
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'published-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const fileIn = (file: string) => path.join(dir, file);

describe('publishSchemas', () => {
  it('writes the envelope and every version not published yet, and nothing the second time', () => {
    expect(publishSchemas(dir, registryOf([crateV1]))).toEqual({
      written: ['envelope.json', 'CrateSealed/v1.json'],
      kept: [],
      violations: [],
    });
    expect(fs.readFileSync(fileIn('CrateSealed/v1.json'), 'utf8')).toBe(
      serializeSchema(contractSnapshot(registryOf([crateV1])).messages.CrateSealed.versions['1']),
    );
    expect(publishSchemas(dir, registryOf([crateV1]))).toEqual({ written: [], kept: [], violations: [] });
  });

  it('never overwrites a published file that differs, even compatibly', () => {
    publishSchemas(dir, registryOf([crateV1]));
    const before = fs.readFileSync(fileIn('CrateSealed/v1.json'), 'utf8');
    const withOptionalField = defineMessage({ ...crateV1, schema: z.object({ crateId: z.string(), sku: z.string(), seal: z.string().optional() }) });

    expect(publishSchemas(dir, registryOf([withOptionalField]))).toEqual({ written: [], kept: ['CrateSealed/v1.json'], violations: [] });
    expect(fs.readFileSync(fileIn('CrateSealed/v1.json'), 'utf8')).toBe(before);
  });

  it('writes nothing, not even new types, while the registry breaks a published schema', () => {
    publishSchemas(dir, registryOf([crateV1]));
    const before = fs.readFileSync(fileIn('CrateSealed/v1.json'), 'utf8');
    const broken = defineMessage({ ...crateV1, schema: z.object({ crateId: z.string() }) });
    const newcomer = defineMessage({ ...crateV1, type: 'CrateOpened' });

    const report = publishSchemas(dir, registryOf([broken, newcomer]));
    expect(report.violations.map((v) => v.message)).toEqual([
      'CrateSealed v1 $.data.sku: required field removed or renamed; consumers rely on it [required-field-removed]',
    ]);
    expect(report.written).toEqual([]);
    expect(fs.readFileSync(fileIn('CrateSealed/v1.json'), 'utf8')).toBe(before);
    expect(fs.existsSync(fileIn('CrateOpened'))).toBe(false);
  });
});

describe('readPublishedSchemas', () => {
  it('reads a missing directory as nothing published', () => {
    expect(readPublishedSchemas(fileIn('never-created'))).toEqual({ envelope: null, messages: {} });
  });

  it('reads what publishSchemas wrote back as the same schemas', () => {
    publishSchemas(dir, CONTRACT_REGISTRY);
    const snapshot = JSON.parse(JSON.stringify(contractSnapshot())) as ReturnType<typeof contractSnapshot>;
    const published = readPublishedSchemas(dir);
    expect(published.envelope).toEqual(snapshot.envelope);
    expect(published.messages.OrderPlaced).toEqual({ 1: snapshot.messages.OrderPlaced.versions['1'] });
    expect(Object.keys(published.messages).sort()).toEqual(Object.keys(snapshot.messages).sort());
  });

  it('refuses a file that does not fit the layout', () => {
    fs.mkdirSync(fileIn('CrateSealed'));
    fs.writeFileSync(fileIn('CrateSealed/latest.json'), '{}');
    expect(() => readPublishedSchemas(dir)).toThrow(/unexpected CrateSealed\/latest\.json .*expected CrateSealed\/v1\.json/);
  });

  it('refuses a stray file next to the envelope, but not the README', () => {
    fs.writeFileSync(fileIn('README.md'), '# Published schemas');
    expect(readPublishedSchemas(dir)).toEqual({ envelope: null, messages: {} });
    fs.writeFileSync(fileIn('notes.txt'), 'hello');
    expect(() => readPublishedSchemas(dir)).toThrow(/unexpected notes\.txt/);
  });

  it('refuses a published file that is not JSON, or not a schema object', () => {
    fs.mkdirSync(fileIn('CrateSealed'));
    fs.writeFileSync(fileIn('CrateSealed/v1.json'), '{ "type": ');
    expect(() => readPublishedSchemas(dir)).toThrow(/CrateSealed\/v1\.json is not valid JSON/);
    fs.writeFileSync(fileIn('CrateSealed/v1.json'), '[]');
    expect(() => readPublishedSchemas(dir)).toThrow(/CrateSealed\/v1\.json does not hold a JSON Schema object/);
  });
});
