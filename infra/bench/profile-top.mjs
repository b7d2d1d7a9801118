#!/usr/bin/env node
// The functions that took the most CPU in V8 CPU profiles (node --cpu-prof), by self time, per profile:
//   node infra/bench/profile-top.mjs <dir or .cpuprofile files> [--top 25]
// Idle and garbage collection are reported apart; a function is named with its file (relative to the repository
// or node_modules) and line.
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
const files = args.flatMap((arg) => (fs.statSync(arg).isDirectory() ? fs.readdirSync(arg).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(arg, f)) : [arg]));
if (files.length === 0) {
  process.stderr.write('usage: profile-top.mjs <dir or .cpuprofile files> [--top N]\n');
  process.exit(2);
}

const where = (url) => {
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) return file.slice(modules + 'node_modules/'.length);
  const repo = file.search(/\/(services|libs)\//);
  return repo >= 0 ? file.slice(repo + 1) : file || '(native)';
};

for (const file of files) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const interval = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    interval.set(id, (interval.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const self = new Map();
  let total = 0;
  for (const [id, micros] of interval) {
    const { callFrame } = byId.get(id);
    const name = `${callFrame.functionName || '(anonymous)'} ${where(callFrame.url)}:${callFrame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + micros);
    total += micros;
  }
  const idle = [...self].filter(([name]) => name.startsWith('(idle)')).reduce((sum, [, micros]) => sum + micros, 0);
  const busy = total - idle;
  process.stdout.write(`\n${path.basename(file)}: ${(busy / 1e6).toFixed(1)} s on CPU of ${(total / 1e6).toFixed(1)} s\n`);
  const rows = [...self].filter(([name]) => !name.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, micros] of rows) process.stdout.write(`  ${((micros / busy) * 100).toFixed(1).padStart(5)}%  ${name}\n`);
}
