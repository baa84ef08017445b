/**
 * fast-check generators of stack configuration for the property tests of the settings pass
 * (test/settings/properties*.test.ts): per environment, a random subset of keys set to values drawn
 * from what careless users and attackers type — valid values, values just past a limit, and hostile
 * text (template delimiters, `$VAR`, quotes, braces, non-ASCII, very long strings).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { CONTENT_CHECKS } from "../../content/checks";
import { SettingsError } from "../../settings/messages";
import { parseSettings } from "../../settings/parse";
import type { Settings } from "../../settings/settings";
import { settingsInput, TEST_SECRETS } from "./harness";
import { secretsFor as stackSecrets } from "./settingsProblems";

/** The seed every property test uses unless FC_SEED says otherwise; printed on failure by fast-check. */
export const PROPERTY_SEED = Number(process.env.FC_SEED ?? 20261202);

/** Text that breaks naive renderers: Go template delimiters, env expansion, YAML and PromQL syntax. */
const HOSTILE = [
  "{{",
  "}}",
  "{{ .Labels.job }}",
  "{{ $labels.instance }}",
  "{{ nosuchfunc }}",
  "$HOME",
  "${PATH}",
  "$$",
  '"',
  "'",
  "`",
  "\\",
  "\n",
  "#",
  ": ",
  "- ",
  "}",
  "{",
  "} or vector(1) or up{",
  "é",
  "🙂",
  "\u0000",
  " ",
];

const hostileText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc
      .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 })), {
        minLength: 1,
        maxLength: 6,
      })
      .map((parts) => parts.join("")),
  );

const lowerName = (min: number, max: number): fc.Arbitrary<string> =>
  fc.stringMatching(new RegExp(`^[a-z][a-z0-9-]{${Math.max(0, min - 2)},${max - 2}}[a-z0-9]$`));

/** Names as typed: DNS-ish, too long, reserved prefixes, underscores and dots, arbitrary text. */
const nameLike: fc.Arbitrary<string> = fc.oneof(
  lowerName(2, 20),
  lowerName(30, 63),
  fc.constantFrom(
    "sg-monitoring",
    "xn--monitoring",
    "sthree-mon",
    "staging_eu.1",
    "-lead",
    "trail-",
  ),
  hostileText(70),
);

const durationUnits = ["ms", "s", "m", "h", "d", "w", "y"] as const;
/** Durations from 0 to far past Go's and Prometheus' ranges, plus malformed ones. */
const durationLike: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 90 }), fc.constantFrom("s", "m", "h", "d"))
    .map(([n, u]) => `${n}${u}`),
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 100, max: 10 ** 9 })),
      fc.constantFrom(...durationUnits),
    )
    .map(([n, u]) => `${n}${u}`),
  fc.constantFrom("300y", "0s", "-1h", "1.5h", "15", "1h30m", "5x", "", "9223372036854775807ms"),
);

/** Sizes from tiny to past int64 bytes, plus malformed ones. */
const sizeLike: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 500 }), fc.constantFrom("MB", "GB", "TB"))
    .map(([n, u]) => `${n}${u}`),
  fc
    .tuple(
      fc.integer({ min: 0, max: 10 ** 14 }),
      fc.constantFrom("B", "KB", "MB", "GB", "TB", "PB", "EB"),
    )
    .map(([n, u]) => `${n}${u}`),
  fc.constantFrom("99999999999999EB", "1.5GB", "10Gi", "-1GB", "GB"),
);

const portLike: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 1024, max: 65535 }),
  fc.constantFrom(0, -1, 65536, 70000, 80, 1.5),
);

const labelName: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/),
  fc.constantFrom("__reserved", "9starts", "has-dash", "has space", "cluster", "environment"),
  hostileText(12),
);
const labelValue: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-z0-9-]{1,12}$/),
  hostileText(30),
);
const labels = fc.dictionary(labelName, labelValue, { maxKeys: 3 });

const urlLike: fc.Arbitrary<string> = fc.oneof(
  fc.constant("https://github.com/acme/monitoring-stack/blob/main/docs/runbooks"),
  fc.constantFrom(
    "https://runbooks.example.com/{{ .Labels.alertname }}",
    "https://runbooks.example.com/}}",
    "https://runbooks.example.com/$HOME",
    "not a url",
    "ftp://runbooks.example.com",
  ),
  hostileText(30).map((t) => `https://runbooks.example.com/${t}`),
);

const exprLike: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "up == 0",
    'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 1',
    "vector(1)",
  ),
  fc.constantFrom("rate(x[5m] > 1", "sum by job (up)", "up{", ""),
  hostileText(30),
);

const selectorLike: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('job="api"', 'job="api", code!~"5.."', 'job=~"a|b"'),
  fc.constantFrom(
    '} or vector(1) or up{job="x"',
    "job=api",
    '"job"="x"',
    "",
    'job="a"} + on() up{',
  ),
  hostileText(30),
);

const alertRule = fc.record(
  {
    alert: fc.oneof(
      fc.stringMatching(/^[A-Z][A-Za-z0-9]{2,15}$/),
      fc.constantFrom("InstanceDown", "Watchdog"),
      hostileText(12),
    ),
    expr: exprLike,
    severity: fc.constantFrom("critical", "warning", "info", "none", "page"),
    summary: fc.oneof(fc.constant("Checkout is failing"), hostileText(40)),
    description: fc.oneof(
      fc.constant("{{ $labels.instance }} fails {{ $value | humanizePercentage }}"),
      hostileText(40),
    ),
    for: durationLike,
    labels,
    runbookUrl: urlLike,
  },
  { requiredKeys: ["alert", "expr", "severity", "summary", "description"] },
);

const slo = fc.record(
  {
    name: fc.oneof(lowerName(2, 12), hostileText(12)),
    objective: fc.oneof(fc.constantFrom(99, 99.9, 99.99), fc.constantFrom(0, 100, 150, -1)),
    selector: selectorLike,
    errorSelector: selectorLike,
    service: fc.oneof(lowerName(2, 12), hostileText(12)),
  },
  { requiredKeys: ["name", "objective", "selector"] },
);

const scrapeTarget = fc.record(
  {
    job: fc.oneof(lowerName(2, 12), fc.constantFrom("node", "prometheus"), hostileText(10)),
    targets: fc.array(
      fc.tuple(fc.oneof(lowerName(2, 12), hostileText(10)), portLike).map(([h, p]) => `${h}:${p}`),
      { minLength: 0, maxLength: 2 },
    ),
    labels,
  },
  { requiredKeys: ["job", "targets"] },
);

const hostLike: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "grafana.example.com",
    "prometheus.example.com",
    "*.example.com",
    "a..example.com",
  ),
  lowerName(2, 12).map((n) => `${n}.example.com`),
  hostileText(20),
);

const ingress = fc.record(
  {
    className: fc.oneof(fc.constantFrom("nginx", "alb"), hostileText(20)),
    grafanaHost: hostLike,
    prometheusHost: hostLike,
    alertmanagerHost: hostLike,
    clusterIssuer: fc.oneof(fc.constant("letsencrypt"), hostileText(20)),
    tlsSecretName: fc.oneof(fc.constant("monitoring-tls"), hostileText(20)),
  },
  { requiredKeys: ["className", "grafanaHost"] },
);

const serviceMonitor = fc.record(
  {
    name: fc.oneof(lowerName(2, 20), fc.constantFrom("a-b", "a.b", "A"), hostileText(20)),
    namespace: fc.oneof(lowerName(2, 20), hostileText(20)),
    selector: fc.dictionary(
      fc.oneof(fc.constantFrom("app", "app.kubernetes.io/name"), hostileText(20)),
      fc.oneof(lowerName(2, 12), hostileText(20)),
      { minKeys: 1, maxKeys: 2 },
    ),
    port: fc.oneof(
      fc.constantFrom("metrics", "http-metrics"),
      fc.constantFrom("Metrics", "metrics_port", "a-very-long-port-name"),
      hostileText(16),
    ),
    interval: durationLike,
  },
  { requiredKeys: ["name", "namespace", "selector", "port"] },
);

const cidrLike: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "10.0.0.0/8",
    "203.0.113.7/32",
    "0.0.0.0/0",
    "0.0.0.0/1",
    "::/0",
    "10.0.0.0/33",
    "bad",
  ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([a, b, m]) => `${a}.${b}.0.0/${m}`),
);

/** Keys any environment may set, with their generators. */
const COMMON = {
  clusterName: nameLike,
  retentionTime: durationLike,
  retentionSize: sizeLike,
  lokiRetention: durationLike,
  scrapeInterval: durationLike,
  evaluationInterval: durationLike,
  externalLabels: labels,
  runbookBaseUrl: urlLike,
  alertRules: fc.array(alertRule, { maxLength: 2 }),
  slos: fc.array(slo, { maxLength: 2 }),
  scrapeTargets: fc.array(scrapeTarget, { maxLength: 2 }),
  slackChannel: fc.oneof(fc.constant("#alerts"), hostileText(20)),
  grafanaAdminUser: fc.oneof(fc.constant("admin"), hostileText(20)),
};

const BY_ENVIRONMENT = {
  dev: {
    ...COMMON,
    hostPorts: fc.dictionary(
      fc.constantFrom("grafana", "prometheus", "loki", "alertmanager"),
      portLike,
      { maxKeys: 2 },
    ),
    bindAddress: fc.constantFrom("127.0.0.1", "0.0.0.0", "::1", "localhost", "999.1.1.1"),
  },
  staging: {
    ...COMMON,
    adminCidrs: fc.array(cidrLike, { minLength: 1, maxLength: 2 }),
    allowedCidrs: fc.array(cidrLike, { minLength: 1, maxLength: 2 }),
    certificateArn: fc.constantFrom(
      "arn:aws:acm:eu-west-1:123456789012:certificate/0b6f4f2c-1d2e-4c3b-9a8f-2f0e1d2c3b4a",
      "not-an-arn",
    ),
    albInternal: fc.boolean(),
    logRetentionDays: fc.constantFrom(1, 7, 30, 365, 0, 2, 10000),
  },
  prod: {
    ...COMMON,
    ingress,
    serviceMonitors: fc.array(serviceMonitor, { maxLength: 2 }),
    prometheusReplicas: fc.constantFrom(1, 2, 3, 0, 100),
    alertmanagerReplicas: fc.constantFrom(1, 2, 3, 0, 4),
    lokiMode: fc.constantFrom("singleBinary", "simpleScalable", "distributed"),
    eksClusterMode: fc.constantFrom("create", "existing"),
  },
} as const;

export type Stack = keyof typeof BY_ENVIRONMENT;

/** Config overrides for `stack`: between one and four of its keys, each from its generator. */
export function configArbitrary(stack: Stack): fc.Arbitrary<Record<string, unknown>> {
  const generators = BY_ENVIRONMENT[stack] as Record<string, fc.Arbitrary<unknown>>;
  return fc
    .uniqueArray(fc.constantFrom(...Object.keys(generators)), { minLength: 1, maxLength: 4 })
    .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, generators[k]]))));
}

/**
 * The secrets the generated configs run with: what the stack file needs, plus the Slack and
 * PagerDuty receivers (not the heartbeat token: no stack sets `heartbeatUrl`).
 */
export const secretsFor = (stack: Stack): Record<string, string> => ({
  ...stackSecrets(stack),
  slackWebhookUrl: TEST_SECRETS.slackWebhookUrl,
  pagerdutyRoutingKey: TEST_SECRETS.pagerdutyRoutingKey,
});

/** The outcome of one generated config: the refusal's text, or the accepted settings. */
export function outcome(
  stack: Stack,
  config: Record<string, unknown>,
): { refused: string } | { settings: Settings } {
  try {
    return {
      settings: parseSettings(settingsInput(stack, config, secretsFor(stack)), {
        checks: CONTENT_CHECKS,
      }),
    };
  } catch (e) {
    // Anything but a SettingsError is a crash a user would see as a stack trace.
    assert.ok(e instanceof SettingsError, `not a SettingsError: ${(e as Error).stack}`);
    return { refused: e.message };
  }
}
