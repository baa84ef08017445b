/**
 * Pure description of the staging (ECS Fargate) tasks: for each service its files, volumes, ports,
 * secrets and the container definitions of its task. The rendered files are the same builders'
 * output as on Docker (`renderFiles`); Fargate has no bind mounts, so an init container copies them
 * from S3 into task-local volumes and writes the secret files, and the main container starts only
 * after it exited successfully.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { ALERTMANAGER_SECRET_FILES } from "../../content/alertmanager";
import {
  alertmanagerCommand,
  type ExternalUrls,
  lokiCommand,
  prometheusCommand,
} from "../../content/commands";
import { PATHS, type RenderedFiles } from "../../content/files";
import { grafanaEnvironment } from "../../content/grafana";
import { HEALTH_PATHS, PORTS } from "../../catalog/names";
import type { Settings } from "../../settings/settings";
import type { EcsService } from "../../catalog/names";

/** The users of the pinned images; EFS access points and secret files are owned by them. */
export const SERVICE_USERS: Readonly<
  Record<EcsService, { readonly uid: number; readonly gid: number }>
> = {
  prometheus: { uid: 65534, gid: 65534 },
  alertmanager: { uid: 65534, gid: 65534 },
  grafana: { uid: 472, gid: 0 },
  loki: { uid: 10001, gid: 10001 },
};

export const SERVICE_PORTS: Readonly<Record<EcsService, number>> = {
  prometheus: PORTS.prometheus,
  alertmanager: PORTS.alertmanager,
  grafana: PORTS.grafana,
  loki: PORTS.loki,
};

/** The endpoints the ALB target groups and the container health checks probe. */
export const HEALTH_CHECK_PATHS: Readonly<Record<EcsService, string>> = {
  prometheus: HEALTH_PATHS.prometheus,
  alertmanager: HEALTH_PATHS.alertmanager,
  grafana: HEALTH_PATHS.grafana,
  loki: HEALTH_PATHS.loki,
};

/** Where each service keeps its data (its EFS access point is mounted there). */
export const DATA_PATHS: Readonly<Record<EcsService, string>> = {
  prometheus: PATHS.prometheusData,
  alertmanager: PATHS.alertmanagerData,
  grafana: PATHS.grafanaData,
  loki: PATHS.lokiData,
};

/** Task-local directories the init container fills; every delivered file lies under one of them. */
export const CONFIG_DIRS: Readonly<Record<EcsService, readonly string[]>> = {
  prometheus: [path.posix.dirname(PATHS.prometheusConfig)],
  alertmanager: [path.posix.dirname(PATHS.alertmanagerConfig)],
  grafana: [
    path.posix.dirname(path.posix.dirname(PATHS.grafanaDatasources)),
    PATHS.grafanaDashboardsDir,
    path.posix.dirname(PATHS.grafanaAdminPassword),
  ],
  loki: [path.posix.dirname(PATHS.lokiConfig)],
};

/** The Pulumi config secret → the file the init container writes it to, per service. */
export const SECRET_FILES: Readonly<Record<EcsService, Readonly<Record<string, string>>>> = {
  prometheus: {},
  alertmanager: Object.fromEntries(
    Object.entries(ALERTMANAGER_SECRET_FILES).map(([key, file]) => [
      key,
      `${PATHS.alertmanagerSecretsDir}/${file}`,
    ]),
  ),
  grafana: { grafanaAdminPassword: PATHS.grafanaAdminPassword },
  loki: {},
};

/** Name of the task volume mounted at `dir`. */
export function volumeName(dir: string): string {
  return `config${dir.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

/** The files of a service (non-secret), keyed by absolute container path. */
export function serviceFiles(
  service: EcsService,
  files: RenderedFiles,
): Readonly<Record<string, string>> {
  const own = files[service];
  for (const file of Object.keys(own)) {
    if (!CONFIG_DIRS[service].some((dir) => file.startsWith(`${dir}/`))) {
      throw new Error(
        `${service}: ${file} is outside the task's config volumes (${CONFIG_DIRS[service].join(", ")})`,
      );
    }
  }
  return own;
}

/** A short content hash: part of the S3 prefix, so a config change is a new task definition. */
export function filesHash(files: Readonly<Record<string, string>>): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(files).sort())
    hash.update(name).update("\0").update(files[name]).update("\0");
  return hash.digest("hex").slice(0, 16);
}

export interface TaskInputs {
  readonly service: EcsService;
  readonly settings: Settings;
  readonly files: RenderedFiles;
  readonly urls: ExternalUrls & { readonly grafana: string };
  readonly region: string;
  readonly logGroupName: string;
  readonly configBucket: string;
  /** `<service>/<hash>/`. */
  readonly configPrefix: string;
  /** ARN per Pulumi config secret key; only the keys this service needs are used. */
  readonly secretArns: Readonly<Record<string, string>>;
}

/** Environment variable carrying a secret into the init container, e.g. `SECRET_SLACK_WEBHOOK_URL`. */
export function secretEnvName(key: string): string {
  return `SECRET_${key.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}`;
}

/** The secrets a service's task needs that are configured: key → file. */
export function serviceSecrets(
  service: EcsService,
  secretArns: Readonly<Record<string, unknown>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(SECRET_FILES[service]).filter(([key]) => key in secretArns),
  );
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The init container's shell script: copy the config from S3, then write each secret to its file. */
export function initScript(input: {
  service: EcsService;
  secrets: Readonly<Record<string, string>>;
}): string {
  const user = SERVICE_USERS[input.service];
  const lines = [
    "set -eu",
    'aws s3 cp --recursive --only-show-errors "s3://${CONFIG_BUCKET}/${CONFIG_PREFIX}" /',
  ];
  for (const [key, file] of Object.entries(input.secrets)) {
    lines.push(
      `mkdir -p ${quote(path.posix.dirname(file))}`,
      `(umask 277 && printf '%s' "$${secretEnvName(key)}" > ${quote(file)})`,
      `chown ${user.uid}:${user.gid} ${quote(file)}`,
    );
  }
  return lines.join("\n");
}

const logConfiguration = (input: TaskInputs, stream: string) => ({
  logDriver: "awslogs",
  options: {
    "awslogs-group": input.logGroupName,
    "awslogs-region": input.region,
    "awslogs-stream-prefix": stream,
  },
});

function mainContainer(input: TaskInputs): Record<string, unknown> {
  const { service, settings, urls } = input;
  const port = SERVICE_PORTS[service];
  const common = {
    name: service,
    image: settings.images[service],
    essential: true,
    portMappings: [{ containerPort: port, protocol: "tcp", name: service }],
    mountPoints: [
      ...CONFIG_DIRS[service].map((dir) => ({
        sourceVolume: volumeName(dir),
        containerPath: dir,
        readOnly: true,
      })),
      { sourceVolume: "data", containerPath: DATA_PATHS[service], readOnly: false },
    ],
    dependsOn: [{ containerName: "config-init", condition: "SUCCESS" }],
    user: `${SERVICE_USERS[service].uid}:${SERVICE_USERS[service].gid}`,
    readonlyRootFilesystem: false,
    logConfiguration: logConfiguration(input, service),
  };
  const wget = (p: string) => ["CMD", "wget", "-q", "--spider", `http://127.0.0.1:${port}${p}`];
  const health = (command: string[]) => ({
    command,
    interval: 30,
    timeout: 5,
    retries: 3,
    startPeriod: 60,
  });
  switch (service) {
    case "prometheus":
      return {
        ...common,
        command: prometheusCommand(settings, urls),
        healthCheck: health(wget(HEALTH_CHECK_PATHS.prometheus)),
      };
    case "alertmanager":
      return {
        ...common,
        command: alertmanagerCommand(urls),
        healthCheck: health(wget(HEALTH_CHECK_PATHS.alertmanager)),
      };
    case "loki":
      // Distroless image: Loki 3.6+ checks itself.
      return {
        ...common,
        command: lokiCommand(),
        healthCheck: health(["CMD", "/usr/bin/loki", "-health"]),
      };
    case "grafana":
      return {
        ...common,
        environment: grafanaEnvironment({
          adminUser: settings.grafana.adminUser,
          adminPasswordFile: PATHS.grafanaAdminPassword,
          rootUrl: urls.grafana,
        }).map((e) => {
          const at = e.indexOf("=");
          return { name: e.slice(0, at), value: e.slice(at + 1) };
        }),
        healthCheck: health(wget(HEALTH_CHECK_PATHS.grafana)),
      };
  }
}

/** The container definitions of a service's task: config init, the service, a node-exporter sidecar. */
export function containerDefinitions(input: TaskInputs): Record<string, unknown>[] {
  const secrets = serviceSecrets(input.service, input.secretArns);
  const init = {
    name: "config-init",
    image: input.settings.images.configInit,
    essential: false,
    entryPoint: ["sh", "-c"],
    command: [initScript({ service: input.service, secrets })],
    user: "0",
    environment: [
      { name: "CONFIG_BUCKET", value: input.configBucket },
      { name: "CONFIG_PREFIX", value: input.configPrefix },
    ],
    secrets: Object.keys(secrets).map((key) => ({
      name: secretEnvName(key),
      valueFrom: input.secretArns[key],
    })),
    mountPoints: CONFIG_DIRS[input.service].map((dir) => ({
      sourceVolume: volumeName(dir),
      containerPath: dir,
      readOnly: false,
    })),
    logConfiguration: logConfiguration(input, "config-init"),
  };
  const nodeExporter = {
    name: "node-exporter",
    image: input.settings.images.nodeExporter,
    // Monitoring of the task's micro-VM; its loss must not stop the service.
    essential: false,
    portMappings: [{ containerPort: PORTS.nodeExporter, protocol: "tcp", name: "node-exporter" }],
    command: [`--web.listen-address=:${PORTS.nodeExporter}`],
    logConfiguration: logConfiguration(input, "node-exporter"),
  };
  return [init, mainContainer(input), nodeExporter];
}
