/**
 * Pure description of the `dev` containers: image, command, files, ports, volumes and health check of
 * each. `LocalStack` turns it into Docker resources; tests read it without any mocks.
 */
import type * as pulumi from "@pulumi/pulumi";
import { alertmanagerSecretFiles } from "../../content/alertmanager";
import { ALLOY_LISTEN_ADDR } from "../../content/alloy";
import { dockerNetwork, PATHS, renderFiles, type ServiceHosts } from "../../content/files";
import { grafanaEnvironment } from "../../content/grafana";
import { HEALTH_PATHS, PORTS } from "../../catalog/names";
import { DOCKER_HOSTS } from "../../catalog/resourceNames";
import { alertmanagerCommand, lokiCommand, prometheusCommand } from "../../content/commands";
import type { Settings } from "../../settings/settings";
import type { ImageName } from "../../catalog/versions";

/** Docker socket path inside the Alloy container (the host side is the `dockerSocket` setting). */
export const DOCKER_SOCKET = "/var/run/docker.sock";

export type Role = ImageName;

export interface UploadSpec {
  readonly file: string;
  /** Plain text, or a secret Output for files that carry a secret. */
  readonly content: string | pulumi.Output<string>;
  readonly secret: boolean;
  /** Numeric owner of a secret file: the container's user, so the file can be mode 0400. */
  readonly owner?: number;
}

export interface ContainerSpec {
  readonly role: Role;
  /** Network alias other containers use, and the host name in rendered configs. */
  readonly alias: string;
  readonly command: readonly string[];
  readonly envs: readonly string[];
  readonly user?: string;
  readonly uploads: readonly UploadSpec[];
  /** Container port published on the host (`bindAddress:hostPort`). */
  readonly port: { readonly internal: number; readonly external: number };
  /** Where the component keeps its data; it gets a named volume `<cluster>-<role>-data`. */
  readonly dataVolume?: { readonly path: string };
  readonly hostMounts: readonly { readonly source: string; readonly target: string }[];
  /** Docker health check test (exec form). */
  readonly healthcheck: readonly string[];
}

/** The users the upstream images run as. */
const NOBODY = 65534;
const GRAFANA_UID = 472;

/** Host names on the Docker network: the short component names. */
export const LOCAL_HOSTS: ServiceHosts = DOCKER_HOSTS;

const plain = (files: Readonly<Record<string, string>>): UploadSpec[] =>
  Object.entries(files).map(([file, content]) => ({ file, content, secret: false }));

const httpCheck = (port: number, path: string) => [
  "CMD",
  "wget",
  "-q",
  "--spider",
  `http://127.0.0.1:${port}${path}`,
];

/** The URL a UI is reached at from the developer's machine. */
export function localUrl(settings: Settings, component: keyof typeof PORTS): string {
  const host = settings.local.bindAddress === "0.0.0.0" ? "127.0.0.1" : settings.local.bindAddress;
  return `http://${host}:${settings.local.hostPorts[component]}`;
}

/** Every container of the `dev` stack, in start order. */
export function localContainers(settings: Settings): ContainerSpec[] {
  const files = renderFiles(settings, dockerNetwork(LOCAL_HOSTS, `unix://${DOCKER_SOCKET}`));
  const port = (c: keyof typeof PORTS) => ({
    internal: PORTS[c],
    external: settings.local.hostPorts[c],
  });
  const urls = {
    prometheus: localUrl(settings, "prometheus"),
    alertmanager: localUrl(settings, "alertmanager"),
  };
  const secrets = Object.entries(alertmanagerSecretFiles(settings.alerting)).map(
    ([name, content]) => ({
      file: `${PATHS.alertmanagerSecretsDir}/${name}`,
      content,
      secret: true,
      owner: NOBODY,
    }),
  );
  return [
    {
      role: "nodeExporter",
      alias: LOCAL_HOSTS.nodeExporter,
      command: [
        "--path.procfs=/host/proc",
        "--path.sysfs=/host/sys",
        "--path.rootfs=/host/root",
        "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/docker/.+)($|/)",
      ],
      envs: [],
      uploads: [],
      port: port("nodeExporter"),
      hostMounts: [
        { source: "/proc", target: "/host/proc" },
        { source: "/sys", target: "/host/sys" },
        { source: "/", target: "/host/root" },
      ],
      healthcheck: httpCheck(PORTS.nodeExporter, "/metrics"),
    },
    {
      role: "loki",
      alias: LOCAL_HOSTS.loki,
      command: lokiCommand(),
      envs: [],
      uploads: plain(files.loki),
      port: port("loki"),
      dataVolume: { path: PATHS.lokiData },
      hostMounts: [],
      // The Loki image is distroless (no shell, no wget); Loki 3.6+ checks itself.
      healthcheck: ["CMD", "/usr/bin/loki", "-health"],
    },
    {
      role: "alertmanager",
      alias: LOCAL_HOSTS.alertmanager,
      command: alertmanagerCommand(urls),
      envs: [],
      uploads: [...plain(files.alertmanager), ...secrets],
      port: port("alertmanager"),
      dataVolume: { path: PATHS.alertmanagerData },
      hostMounts: [],
      healthcheck: httpCheck(PORTS.alertmanager, HEALTH_PATHS.alertmanager),
    },
    {
      role: "prometheus",
      alias: LOCAL_HOSTS.prometheus,
      command: prometheusCommand(settings, urls),
      envs: [],
      uploads: plain(files.prometheus),
      port: port("prometheus"),
      dataVolume: { path: PATHS.prometheusData },
      hostMounts: [],
      healthcheck: httpCheck(PORTS.prometheus, HEALTH_PATHS.prometheus),
    },
    {
      role: "grafana",
      alias: LOCAL_HOSTS.grafana,
      command: [],
      envs: grafanaEnvironment({
        adminUser: settings.grafana.adminUser,
        adminPasswordFile: PATHS.grafanaAdminPassword,
        rootUrl: localUrl(settings, "grafana"),
      }),
      user: String(GRAFANA_UID),
      uploads: [
        ...plain(files.grafana),
        {
          file: PATHS.grafanaAdminPassword,
          content: settings.grafana.adminPassword,
          secret: true,
          owner: GRAFANA_UID,
        },
      ],
      port: port("grafana"),
      dataVolume: { path: PATHS.grafanaData },
      hostMounts: [],
      healthcheck: httpCheck(PORTS.grafana, HEALTH_PATHS.grafana),
    },
    {
      role: "alloy",
      alias: LOCAL_HOSTS.alloy,
      command: [
        "run",
        `--server.http.listen-addr=${ALLOY_LISTEN_ADDR}`,
        `--storage.path=${PATHS.alloyData}`,
        PATHS.alloyConfig,
      ],
      envs: [],
      uploads: plain(files.alloy),
      port: port("alloy"),
      dataVolume: { path: PATHS.alloyData },
      hostMounts: [{ source: settings.local.dockerSocket, target: DOCKER_SOCKET }],
      // The Alloy image has bash but neither curl nor wget.
      healthcheck: [
        "CMD",
        "bash",
        "-c",
        `exec 3<>/dev/tcp/127.0.0.1/${PORTS.alloy} && printf 'GET ${HEALTH_PATHS.alloy} HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3`,
      ],
    },
  ];
}
