/**
 * The zod schemas of config values: durations, sizes, labels, URLs, images, PromQL, user rules,
 * SLOs, scrape targets, CIDRs, Fargate and Kubernetes sizes. `schema.ts` assigns them to keys.
 * Pure (no Pulumi imports).
 */
import { z } from "zod";
import { IMAGE_NAMES, CHART_NAMES } from "../catalog/versions";
import { imageReferenceProblem } from "../catalog/images";
import { ECS_SERVICES, type EcsService, PORTS } from "../catalog/names";
import { sizeFitsInt64 } from "../sizing/units";
import { parseIpv4Cidr } from "./cidrs";
import { durationMs, MAX_DURATION_MS, wholeDays } from "./durations";
import { TEMPLATE_HELP, templateProblem } from "./goTemplate";
import {
  ingressClassName,
  dnsLabelName,
  labelSelector,
  metricsPath,
  namespaceName,
  objectName,
  servicePortName,
  uiHost,
} from "./k8sChecks";
import { promqlErrors } from "./promql";
import { ruleExpressionProblem, vectorSelectorProblem } from "./selectors";
import { errorRatioExpr, SLO_SPEC_DEFAULTS, sloSpecOf } from "./slo";

/** A positive Prometheus duration such as `30s`, `15m`, `7d` or `1h30m`; zero is rejected. */
export const duration = z
  .string()
  .refine((s) => (durationMs(s) ?? 0) > 0, {
    message: "must be a positive Prometheus duration such as `30s`, `15m`, `12h`, `7d` or `1h30m`",
  })
  .refine((s) => (durationMs(s) ?? 0) <= MAX_DURATION_MS, {
    message:
      "is longer than Prometheus and Loki can read: at most `106751d` (about 292 years, Go's time.Duration)",
    when: (payload) => payload.issues.length === 0,
  });

/** A duration of whole days (Loki's retention); judged only once it is a valid duration. */
export const wholeDaysDuration = duration.refine((d) => wholeDays(d) !== undefined, {
  message: "must be a whole number of days (Loki's index period is 24h), e.g. `7d` or `720h`",
  when: (payload) => payload.issues.length === 0,
});

/** A Prometheus `--storage.tsdb.retention.size` value such as `40GB` (units B..EB, base 2). */
export const size = z
  .string()
  .regex(/^[1-9]\d*(B|KB|MB|GB|TB|PB|EB)$/, {
    message:
      "must be a positive whole number followed by one of B, KB, MB, GB, TB, PB, EB (e.g. `40GB`)",
  })
  .refine((s) => sizeFitsInt64(s), {
    message: "is more bytes than Prometheus can read (int64): at most `7EB` or `8191PB`",
    when: (payload) => payload.issues.length === 0,
  });

const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, {
    message: "must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)",
  })
  .refine((n) => !n.startsWith("__"), { message: "label names starting with `__` are reserved" });

const labelValue = z.string().min(1, { message: "label values must not be empty" });
export const labels = z.record(labelName, labelValue);

/**
 * External labels: Prometheus 3 replaces `$VAR` and `${VAR}` in their values with its environment
 * (https://prometheus.io/docs/prometheus/latest/configuration/configuration/#configuration-file,
 * `external_labels`), Alloy does not, so a `$` would label metrics and logs differently.
 */
export const externalLabels = z.record(
  labelName,
  labelValue.refine((v) => !v.includes("$"), {
    message:
      "must not contain `$`: Prometheus 3 expands `$VAR`/`${VAR}` in external labels from its environment and Alloy does not",
  }),
);

/** Text Prometheus expands as a Go template (alert labels and annotations): it must parse. */
const alertTemplate = z.string().superRefine((text, ctx) => {
  const problem = templateProblem(text);
  if (problem !== undefined)
    ctx.addIssue({
      code: "custom",
      message: `is not a valid template: ${problem}. ${TEMPLATE_HELP}`,
    });
});

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { message: "must be `host:port`, e.g. `api.internal:8080`" })
  .refine((s) => Number(s.split(":")[1]) >= 1 && Number(s.split(":")[1]) <= 65535, {
    message: "must have a port from 1 to 65535",
    when: (payload) => payload.issues.length === 0,
  });

/** An image reference with an explicit tag or digest; `latest` is refused. */
const pinnedImage = z
  .string()
  .refine((s) => imageReferenceProblem(s) === undefined, {
    message:
      "must be an image reference with an explicit tag or digest, e.g. `quay.io/prometheus/prometheus:v3.14.0`",
  })
  .refine((s) => !s.endsWith(":latest"), {
    message: "the `latest` tag is not allowed: pin a version",
  });

export const httpsUrl = z.url({ protocol: /^https$/, message: "must be an https:// URL" });
export const httpUrl = z.url({
  protocol: /^https?$/,
  message: "must be an http:// or https:// URL",
});

/**
 * The base of every alert's `runbook_url` annotation, which Prometheus reads as a Go template: a
 * `{{` would make every rule file invalid, and a base URL is not meant to vary per alert, so template
 * delimiters are refused rather than escaped.
 */
export const runbookBaseUrl = httpUrl.refine((u) => !u.includes("{{") && !u.includes("}}"), {
  message:
    "must not contain `{{` or `}}`: it becomes part of every alert's `runbook_url` annotation, which Prometheus reads as a template",
});

export const ipv4 = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, {
    message: "must be an IPv4 address",
  });

/** A TCP port: 1–65535 (EC2 security-group rules and every listener refuse anything else). */
const port = z
  .number()
  .int({ message: "must be a whole port number from 1 to 65535" })
  .min(1, { message: "must be a port from 1 to 65535" })
  .max(65535, { message: "must be a port from 1 to 65535" });

export const scrapeTarget = z.strictObject({
  job: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, { message: "must be a lower-case job name ([a-z][a-z0-9_-]*)" }),
  targets: z.array(hostPort).min(1, { message: "needs at least one target" }),
  metricsPath: z.string().startsWith("/", { message: "must start with `/`" }).optional(),
  scheme: z.enum(["http", "https"]).optional(),
  scrapeInterval: duration.optional(),
  labels: labels.optional(),
});
export type ScrapeTargetConfig = z.infer<typeof scrapeTarget>;

export const smtp = z.strictObject({
  smarthost: hostPort,
  from: z.email({ message: "must be an e-mail address" }),
  to: z
    .array(z.email({ message: "must be an e-mail address" }))
    .min(1, { message: "needs at least one recipient" }),
  username: z.string().min(1).optional(),
  requireTls: z.boolean().optional(),
});

export const imageOverrides = z.strictObject(
  Object.fromEntries(IMAGE_NAMES.map((n) => [n, pinnedImage.optional()])) as Record<
    (typeof IMAGE_NAMES)[number],
    z.ZodOptional<typeof pinnedImage>
  >,
);

const chartVersion = z.string().regex(/^\d+\.\d+\.\d+$/, {
  message: "must be an exact chart version such as `88.5.3` (no ranges)",
});
export const chartVersionOverrides = z.strictObject(
  Object.fromEntries(CHART_NAMES.map((n) => [n, chartVersion.optional()])) as Record<
    (typeof CHART_NAMES)[number],
    z.ZodOptional<typeof chartVersion>
  >,
);

export const hostPorts = z.strictObject(
  Object.fromEntries(Object.keys(PORTS).map((n) => [n, port.optional()])) as Record<
    keyof typeof PORTS,
    z.ZodOptional<typeof port>
  >,
);

/** A PromQL expression, checked with the upstream grammar. */
const promql = z
  .string()
  .min(1, { message: "must not be empty" })
  .superRefine((expr, ctx) => {
    const errors = promqlErrors(expr);
    if (errors.length > 0)
      ctx.addIssue({
        code: "custom",
        message: `is not valid PromQL (syntax error at ${errors[0]})`,
      });
    const problem = errors.length > 0 ? undefined : ruleExpressionProblem(expr);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

const severity = z.enum(["critical", "warning", "info"]);

/** A user-defined alerting rule; rendered into the `custom` rule group next to the built-in ones. */
export const userAlertRule = z.strictObject({
  alert: z.string().regex(/^[A-Z][A-Za-z0-9_]*$/, {
    message: "must be a CamelCase alert name ([A-Z][A-Za-z0-9_]*)",
  }),
  expr: promql,
  for: duration.optional(),
  severity,
  summary: z.string().min(1, { message: "must not be empty" }).pipe(alertTemplate),
  description: z.string().min(1, { message: "must not be empty" }).pipe(alertTemplate),
  labels: z
    .record(labelName, labelValue.pipe(alertTemplate))
    .refine((l) => !("severity" in l), { message: "set `severity` with the `severity` field" })
    .optional(),
  runbookUrl: httpUrl.pipe(alertTemplate).optional(),
});
export type UserAlertRule = z.infer<typeof userAlertRule>;

/** A user-defined recording rule (`level:metric:operations`). */
export const userRecordingRule = z.strictObject({
  record: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, {
    message: "must be a Prometheus metric name, by convention `level:metric:operations`",
  }),
  expr: promql,
  labels: labels.optional(),
});
export type UserRecordingRule = z.infer<typeof userRecordingRule>;

/** An availability SLO over a request counter. */
export const sloSpec = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, {
      message: "must be kebab-case, at most 41 characters ([a-z][a-z0-9-]*)",
    }),
    service: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, { message: "must be letters, digits, `._-`" })
      .optional(),
    objective: z
      .number()
      .gt(0, { message: "must be a percentage above 0, e.g. 99.9" })
      .lt(100, { message: "must be below 100 (a 100% objective leaves no error budget)" }),
    metric: z
      .string()
      .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { message: "must be a counter metric name" })
      .optional(),
    selector: z.string().min(1, { message: 'must select the requests, e.g. `job="api"`' }),
    errorSelector: z.string().min(1).optional(),
  })
  .superRefine((slo, ctx) => {
    // Each field on its own first, so the message names the one that is wrong.
    const examples = { selector: 'job="api"', errorSelector: 'code=~"5.."' } as const;
    let valid = true;
    for (const field of ["selector", "errorSelector"] as const) {
      const matchers = slo[field];
      if (typeof matchers !== "string") continue;
      const problem = vectorSelectorProblem(slo.metric ?? SLO_SPEC_DEFAULTS.metric, matchers);
      if (problem !== undefined) {
        valid = false;
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `must be PromQL label matchers such as \`${examples[field]}\` (${problem})`,
        });
      }
    }
    if (!valid || typeof slo.selector !== "string") return;
    const expr = errorRatioExpr(sloSpecOf(slo), "5m");
    if (promqlErrors(expr).length > 0)
      ctx.addIssue({
        code: "custom",
        path: ["selector"],
        message: `\`selector\` and \`errorSelector\` must be PromQL label matchers such as \`job="api", code=~"5.."\` (they make \`${expr}\`, which does not parse)`,
      });
  });
export type SloConfig = z.infer<typeof sloSpec>;

/** An IPv4 CIDR block such as `10.0.0.0/16`. */
export const cidr = z.string().refine((c) => parseIpv4Cidr(c) !== undefined, {
  message: "must be an IPv4 CIDR block such as `10.0.0.0/16` or `203.0.113.7/32`",
});

const taskSize = z.strictObject({
  cpu: z.number().int({ message: "must be whole CPU units (1024 = 1 vCPU)" }),
  memory: z.number().int({ message: "must be whole MiB" }),
});
export type TaskSizeConfig = z.infer<typeof taskSize>;

/** An explicit Fargate size per staging service; each must be a valid Fargate CPU/memory pair. */
export const taskSizes = z.strictObject(
  Object.fromEntries(ECS_SERVICES.map((n) => [n, taskSize.optional()])) as Record<
    EcsService,
    z.ZodOptional<typeof taskSize>
  >,
);

/** Retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** Subnets of an existing VPC, in at least two availability zones. */
export const subnetIds = z
  .array(
    z.string().regex(/^subnet-[0-9a-f]{8,17}$/, {
      message: "must be a subnet id such as `subnet-0a1b2c3d`",
    }),
  )
  .min(2, { message: "needs subnets in at least two availability zones" });

/** A Kubernetes quantity of bytes such as `50Gi` or `500Mi`. */
export const k8sSize = z.string().regex(/^[1-9]\d*(Ki|Mi|Gi|Ti)$/, {
  message: "must be a Kubernetes size such as `50Gi` or `512Mi` (units Ki, Mi, Gi, Ti)",
});

export const serviceMonitorSpec = z.strictObject({
  name: dnsLabelName,
  namespace: namespaceName,
  /** Labels of the Service(s) to scrape. */
  selector: labelSelector,
  /** Name of the Service port. */
  port: servicePortName,
  path: metricsPath.optional(),
  interval: duration.optional(),
});
export type ServiceMonitorConfig = z.infer<typeof serviceMonitorSpec>;

export const nodeGroup = z.strictObject({
  instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
    message: "must be an EC2 instance type such as `m6i.xlarge`",
  }),
  minSize: z.number().int().min(1, { message: "must be at least 1" }),
  desiredSize: z.number().int().min(1, { message: "must be at least 1" }),
  maxSize: z.number().int().min(1, { message: "must be at least 1" }),
  diskSize: z.number().int().min(20, { message: "must be at least 20 (GiB)" }).optional(),
});

/** The workload to size for; the scrape interval and both retentions come from their own keys. */
export const capacity = z.strictObject({
  activeSeries: z
    .number()
    .int({ message: "must be a whole number of series" })
    .min(1, { message: "must be at least 1" })
    .max(1_000_000_000, { message: "must be at most 1e9 (shard Prometheus beyond that)" }),
  logVolumePerDay: size,
});
export type CapacityConfig = z.infer<typeof capacity>;

export const ingress = z.strictObject({
  className: ingressClassName,
  grafanaHost: uiHost,
  prometheusHost: uiHost.optional(),
  alertmanagerHost: uiHost.optional(),
  /** cert-manager ClusterIssuer that issues the TLS certificate. */
  clusterIssuer: objectName("letsencrypt-prod").optional(),
  /** Existing TLS Secret in the monitoring namespace (instead of cert-manager). */
  tlsSecretName: objectName("grafana-tls").optional(),
});
