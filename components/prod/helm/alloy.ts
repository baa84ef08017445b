/**
 * Values of the Alloy chart (`CHARTS.alloy`): a privileged DaemonSet that ships every node's pod
 * logs to Loki with the pipeline of alloyPipeline.ts.
 */
import { renderAlloy } from "../../../content/alloy";
import { PORTS, SCRAPE_JOBS } from "../../../catalog/names";
import type { Settings } from "../../../settings/settings";
import { alloyPodLogsPipeline } from "./alloyPipeline";
import { digestImage } from "./images";
import { RESOURCES } from "./podResources";
import { jobRelabeling } from "./relabeling";
import type { HelmValues } from "./types";

/** Host directory (hostPath) holding Alloy's data, so read positions survive pod restarts. */
export const ALLOY_DATA_DIR = "/var/lib/alloy";

/**
 * Alloy's rendered configuration. Throws when it contains `{{`: the chart passes
 * `alloy.configMap.content` through Helm's `tpl`, which would evaluate it.
 */
export function alloyConfig(settings: Settings, lokiPushUrl: string): string {
  const content = renderAlloy(
    alloyPodLogsPipeline({ lokiPushUrl, externalLabels: settings.prometheus.externalLabels }),
  );
  if (content.includes("{{")) {
    throw new Error(
      "the Alloy config contains `{{`, which the chart's `tpl` would evaluate; remove it from `externalLabels`",
    );
  }
  return content;
}

/**
 * Values for the Alloy chart (`CHARTS.alloy`), released as `RELEASES.alloy` into
 * `NAMESPACES.agents` (privileged: it mounts the host's `/var/log`). Throws as `alloyConfig` does.
 */
export function alloyValues(settings: Settings, ctx: { readonly lokiPushUrl: string }): HelmValues {
  const content = alloyConfig(settings, ctx.lokiPushUrl);
  const dataVolume = "alloy-data";
  return {
    image: digestImage(settings.images.alloy),
    alloy: {
      configMap: { create: true, content },
      listenPort: PORTS.alloy,
      storagePath: `${ALLOY_DATA_DIR}/data`,
      enableReporting: false,
      mounts: {
        varlog: true,
        extra: [{ name: dataVolume, mountPath: ALLOY_DATA_DIR }],
      },
      // Root to read the kubelet's 0640 root-owned log files (as their owner: no capabilities).
      securityContext: {
        runAsUser: 0,
        runAsGroup: 0,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
      resources: RESOURCES.alloy,
    },
    configReloader: {
      resources: RESOURCES.alloyConfigReloader,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65534,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
    },
    controller: {
      type: "daemonset",
      // Logs of every node, including tainted ones.
      tolerations: [{ operator: "Exists", effect: "NoSchedule" }],
      volumes: {
        extra: [
          { name: dataVolume, hostPath: { path: ALLOY_DATA_DIR, type: "DirectoryOrCreate" } },
        ],
      },
    },
    // The pipeline reads files only: no Kubernetes API access, so no ClusterRole (the chart's
    // would grant a privileged host agent cluster-wide read on Secrets) and no token.
    rbac: { create: false },
    serviceAccount: { create: true, automountServiceAccountToken: false },
    // The PodLogs CRD serves `loki.source.podlogs`, which we do not use.
    crds: { create: false },
    serviceMonitor: { enabled: true, relabelings: jobRelabeling(SCRAPE_JOBS.alloy) },
  };
}
