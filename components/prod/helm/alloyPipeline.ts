/**
 * Alloy's pipeline on a Kubernetes node (the prod DaemonSet): the node's pod log files, labelled
 * from the kubelet's path layout, parsed as CRI lines and pushed to Loki. Data for content/alloy.ts'
 * renderer, like the Docker pipeline of dev and staging.
 */
import { type AlloyBlock, AlloyRef } from "../../../content/alloy";

/** Where the kubelet writes container logs: `<ns>_<pod>_<uid>/<container>/<restart>.log`. */
export const POD_LOGS_DIR = "/var/log/pods";

export interface AlloyPodLogsInput {
  /** Loki push endpoint, e.g. `lokiPushUrl(settings)`. */
  readonly lokiPushUrl: string;
  /** Labels added to every log line (the same `cluster`/`environment` as metrics). */
  readonly externalLabels: Readonly<Record<string, string>>;
}

const fromPath = (target: string, group: number): AlloyBlock => ({
  name: "rule",
  attrs: {
    source_labels: ["__path__"],
    // Namespaces and pod names cannot contain '_' (DNS-1123), so the split is unambiguous.
    regex: `${POD_LOGS_DIR}/([^_/]+)_([^_/]+)_[^/]+/([^/]+)/[^/]+\\.log`,
    target_label: target,
    replacement: `$${group}`,
  },
});

/**
 * The pipeline for a Kubernetes node (Alloy as a DaemonSet): tail the node's pod log files, take
 * `namespace`, `pod` and `container` from the kubelet's path layout, parse the CRI line format and
 * push to Loki. It needs no Kubernetes API access: each Alloy reads only its own node's files.
 */
export function alloyPodLogsPipeline(input: AlloyPodLogsInput): AlloyBlock[] {
  return [
    { name: "logging", attrs: { level: "info", format: "logfmt" } },
    {
      name: "local.file_match",
      label: "pod_logs",
      attrs: { path_targets: [{ __path__: `${POD_LOGS_DIR}/*/*/*.log` }] },
    },
    {
      name: "discovery.relabel",
      label: "pod_logs",
      attrs: { targets: new AlloyRef("local.file_match.pod_logs.targets") },
      blocks: [fromPath("namespace", 1), fromPath("pod", 2), fromPath("container", 3)],
    },
    {
      name: "loki.source.file",
      label: "pod_logs",
      attrs: {
        targets: new AlloyRef("discovery.relabel.pod_logs.output"),
        forward_to: [new AlloyRef("loki.process.pod_logs.receiver")],
      },
    },
    {
      name: "loki.process",
      label: "pod_logs",
      attrs: { forward_to: [new AlloyRef("loki.write.default.receiver")] },
      blocks: [
        // containerd's `<time> <stream> <P|F> <line>`: timestamp, stream, and joined partial lines.
        { name: "stage.cri" },
        { name: "stage.labels", attrs: { values: { stream: "" } } },
        // loki.source.file labels every line with its file; one stream per file is too many.
        { name: "stage.label_drop", attrs: { values: ["filename"] } },
      ],
    },
    {
      name: "loki.write",
      label: "default",
      attrs: { external_labels: { ...input.externalLabels } },
      blocks: [{ name: "endpoint", attrs: { url: input.lokiPushUrl } }],
    },
  ];
}
