// docker-compose.yml as far as it can be checked without a Docker engine: the whole file valid against the Compose
// Specification's JSON schema, Prometheus scraping every service's /metrics at the port compose gives it, Grafana
// provisioned with the Prometheus data source and a dashboard whose every metric a service registers. Needs nothing
// running.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { repoRoot } from '@fulfillment/testing';

const at = (...parts: string[]) => path.join(repoRoot(), ...parts);
const composeText = () => fs.readFileSync(at('docker-compose.yml'), 'utf8');
interface Service {
  image?: string;
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, unknown>;
  healthcheck?: { test: string[] };
}
const compose = () => parse(composeText(), { merge: true }) as { services: Record<string, Service> };
const APPS = ['order', 'inventory', 'supplier', 'notification'];
/** what Prometheus scrapes: the four services and the operator console */
const SCRAPED = [...APPS, 'console'];

/** Every source file of the services and libraries, where metrics are registered. */
function sources(dir = repoRoot()): string[] {
  const found: string[] = [];
  for (const root of ['services', 'libs']) {
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        if (['node_modules', 'dist', 'test'].includes(entry.name)) continue;
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) found.push(full);
      }
    };
    walk(path.join(dir, root));
  }
  return found;
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema, and the check catches a broken file', () => {
    const { $schema: _draft, ...schema } = JSON.parse(fs.readFileSync(at('infra/docker/compose-spec.schema.json'), 'utf8')) as { $schema: string };
    // The schema names draft-07 by an https URL Ajv does not know; draft-07 is what Ajv validates by default.
    expect(_draft).toContain('draft-07');
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    // Parsed as Compose reads it: anchors and `<<` merge keys resolved (the schema allows the x- fields).
    const valid = validate(parse(composeText(), { merge: true }));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    const broken = parse(composeText(), { merge: true }) as { services: Record<string, Record<string, unknown>> };
    broken.services.prometheus!.ports = 'not-a-list';
    broken.services.grafana!.restart_policy = 'always';
    expect(validate(broken)).toBe(false);
    expect((validate.errors ?? []).map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/services/prometheus/ports', '/services/grafana']));
  });

  it('has Prometheus scrape /metrics of the four services and the console at the ports compose gives them', () => {
    const { services } = compose();
    const prometheus = services.prometheus!;
    expect(prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    const mounted = prometheus.volumes!.find((v) => v.endsWith(':/etc/prometheus/prometheus.yml:ro'))!;
    const config = parse(fs.readFileSync(at(mounted.split(':')[0]!), 'utf8')) as {
      scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = config.scrape_configs.flatMap((job) => job.static_configs.flatMap((c) => c.targets.map((t) => `${job.metrics_path}@${t}`)));
    expect(targets.sort()).toEqual(SCRAPED.map((app) => `/metrics@${app}:${services[app]!.environment!.PORT}`).sort());
    expect(prometheus.depends_on).toEqual(expect.arrayContaining(SCRAPED));
  });

  it('runs the console on port 3000 from the shared Dockerfile, against the four services once they are healthy', () => {
    const { services } = compose();
    const app = services.console as Service & { build?: { context: string; dockerfile: string; args?: Record<string, string> }; depends_on?: Record<string, { condition: string }> };
    expect(app).toBeDefined();
    expect(app.ports).toEqual(['3000:3000']);
    expect(app.environment?.PORT).toBe('3000');
    expect(app.build?.args?.SERVICE).toBe('console');
    // The console reads each service at the address compose gives it.
    for (const service of APPS) {
      const url = new URL(app.environment![`${service.toUpperCase()}_URL`]!);
      expect({ service, at: `${url.hostname}:${url.port}` }).toEqual({ service, at: `${service}:${services[service]!.environment!.PORT}` });
      expect({ service, condition: app.depends_on?.[service]?.condition }).toEqual({ service, condition: 'service_healthy' });
    }
    // Its image is the one every app is built from, whose health check asks the app's own PORT.
    const dockerfile = fs.readFileSync(at(app.build!.context, app.build!.dockerfile), 'utf8');
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*process\.env\.PORT.*\/health/m);
    expect(dockerfile).toMatch(/services\/\$\{SERVICE\}\/dist\/main\.js/);
    expect(fs.existsSync(at('services/console/package.json'))).toBe(true);
  });

  it('provisions Grafana with the Prometheus data source and a dashboard of metrics the services register', () => {
    const { services } = compose();
    const grafana = services.grafana!;
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    const mounts = new Map(grafana.volumes!.map((v) => [v.split(':')[1]!, v.split(':')[0]!]));
    const provisioning = mounts.get('/etc/grafana/provisioning')!;
    const datasources = parse(fs.readFileSync(at(provisioning, 'datasources/prometheus.yml'), 'utf8')) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' })]);
    const provider = parse(fs.readFileSync(at(provisioning, 'dashboards/fulfillment.yml'), 'utf8')) as { providers: { options: { path: string } }[] };
    const dashboards = mounts.get(provider.providers[0]!.options.path)!;
    expect(dashboards).toBeDefined();

    const dashboard = JSON.parse(fs.readFileSync(at(dashboards, 'fulfillment.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const shown of ['Orders accepted per second', 'Consumer lag', 'queue depth', 'Oldest wait', 'Promises kept']) expect(titles).toContain(shown);
    const code = sources().map((file) => fs.readFileSync(file, 'utf8')).join('\n');
    // Metric names: the identifiers before a selector, a range or a closing parenthesis, once the `by (...)` labels are out.
    const metrics = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.replace(/by \([^)]*\)/g, '').matchAll(/([a-z_]+)(?=\{|\[|\))/g)].map((m) => m[1]!))));
    const functions = new Set(['sum', 'max', 'rate', 'by']);
    const named = [...metrics].filter((m) => !functions.has(m));
    expect(named.length).toBeGreaterThanOrEqual(6);
    for (const metric of named) expect({ metric, registered: code.includes(`'${metric}'`) }).toEqual({ metric, registered: true });
  });

  it('runs Jaeger (OTLP/HTTP and its UI) and has every app export its traces to it', () => {
    const { services } = compose();
    const jaeger = services.jaeger!;
    expect(jaeger.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    const containerPorts = jaeger.ports!.map((p) => p.split(':').at(-1));
    expect(containerPorts).toEqual(expect.arrayContaining(['4318', '16686']));
    expect(jaeger.healthcheck?.test.join(' ')).toContain(':13133/status');
    for (const app of APPS) {
      const endpoint = new URL(services[app]!.environment!.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://unset');
      expect({ app, endpoint: `${endpoint.protocol}//${endpoint.host}` }).toEqual({ app, endpoint: 'http://jaeger:4318' });
    }
  });
});
