/**
 * Builds the Grafana Alloy pipeline that ships container logs to Loki. Alloy has its own
 * configuration syntax (not YAML), so the pipeline is data and a tiny serializer prints it.
 */
import { PORTS } from "../catalog/names";

/** A reference to another component's export, printed verbatim (e.g. `discovery.docker.local.targets`). */
export class AlloyRef {
  constructor(readonly path: string) {
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+$/.test(path))
      throw new Error(`invalid Alloy reference ${path}`);
  }
}

export type AlloyValue =
  | string
  | number
  | boolean
  | AlloyRef
  | readonly AlloyValue[]
  | { readonly [k: string]: AlloyValue };

export interface AlloyBlock {
  readonly name: string;
  readonly label?: string;
  readonly attrs?: Readonly<Record<string, AlloyValue>>;
  readonly blocks?: readonly AlloyBlock[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isList = (v: AlloyValue): v is readonly AlloyValue[] => Array.isArray(v);

function value(v: AlloyValue, indent: string): string {
  if (v instanceof AlloyRef) return v.path;
  if (typeof v === "string") return JSON.stringify(v); // Alloy strings use Go escapes, a superset of JSON's
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (isList(v)) return `[${v.map((x) => value(x, indent)).join(", ")}]`;
  const entries = Object.entries(v as Record<string, AlloyValue>);
  if (entries.length === 0) return "{}";
  const inner = `${indent}  `;
  const lines = entries.map(
    ([k, x]) => `${inner}${IDENT.test(k) ? k : JSON.stringify(k)} = ${value(x, inner)},`,
  );
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function block(b: AlloyBlock, indent: string): string {
  const inner = `${indent}  `;
  const head = b.label === undefined ? b.name : `${b.name} ${JSON.stringify(b.label)}`;
  const lines = [
    ...Object.entries(b.attrs ?? {}).map(([k, v]) => `${inner}${k} = ${value(v, inner)}`),
    ...(b.blocks ?? []).map((child) => block(child, inner)),
  ];
  return `${indent}${head} {\n${lines.join("\n")}\n${indent}}`;
}

/** Prints blocks in Alloy syntax. */
export function renderAlloy(blocks: readonly AlloyBlock[]): string {
  return `${blocks.map((b) => block(b, "")).join("\n\n")}\n`;
}

export interface AlloyDockerInput {
  /** Docker Engine API endpoint as seen from inside the Alloy container. */
  readonly dockerHost: string;
  /** Loki push endpoint, e.g. `http://loki:3100/loki/api/v1/push`. */
  readonly lokiPushUrl: string;
  /** Labels added to every log line (the same `cluster`/`environment` as metrics). */
  readonly externalLabels: Readonly<Record<string, string>>;
}

const relabel = (source: string, target: string, regex?: string): AlloyBlock => ({
  name: "rule",
  attrs: {
    source_labels: [source],
    target_label: target,
    ...(regex === undefined ? {} : { regex }),
  },
});

/** The pipeline for a Docker host: discover containers, label them, tail their logs, push to Loki. */
export function alloyDockerPipeline(input: AlloyDockerInput): AlloyBlock[] {
  return [
    { name: "logging", attrs: { level: "info", format: "logfmt" } },
    {
      name: "discovery.docker",
      label: "containers",
      attrs: { host: input.dockerHost, refresh_interval: "15s" },
    },
    {
      name: "discovery.relabel",
      label: "containers",
      attrs: { targets: [] },
      blocks: [
        relabel("__meta_docker_container_name", "container", "/(.*)"),
        relabel("__meta_docker_container_log_stream", "stream"),
        relabel("__meta_docker_container_label_com_docker_compose_service", "compose_service"),
        relabel("__meta_docker_container_label_monitoring_component", "component"),
      ],
    },
    {
      name: "loki.source.docker",
      label: "containers",
      attrs: {
        host: input.dockerHost,
        targets: new AlloyRef("discovery.docker.containers.targets"),
        relabel_rules: new AlloyRef("discovery.relabel.containers.rules"),
        forward_to: [new AlloyRef("loki.write.default.receiver")],
      },
    },
    {
      name: "loki.write",
      label: "default",
      attrs: { external_labels: { ...input.externalLabels } },
      blocks: [{ name: "endpoint", attrs: { url: input.lokiPushUrl } }],
    },
  ];
}

/** Alloy's HTTP listen address (UI, /metrics, /-/ready). */
export const ALLOY_LISTEN_ADDR = `0.0.0.0:${PORTS.alloy}`;
