/**
 * Command lines of the components, shared by every target that runs the binaries itself (Docker,
 * ECS), so a flag is never set in one place and forgotten in another. Pure.
 */
import { PATHS } from "./files";
import { prometheusFlags } from "./prometheus";
import type { Settings } from "../settings/settings";

export interface ExternalUrls {
  readonly prometheus: string;
  readonly alertmanager: string;
}

export function prometheusCommand(settings: Settings, urls: ExternalUrls): string[] {
  return [
    ...prometheusFlags(settings.prometheus, {
      config: PATHS.prometheusConfig,
      data: PATHS.prometheusData,
    }),
    `--web.external-url=${urls.prometheus}`,
  ];
}

/** A single Alertmanager: clustering off (one writer of the silence and notification log). */
export function alertmanagerCommand(urls: ExternalUrls): string[] {
  return [
    `--config.file=${PATHS.alertmanagerConfig}`,
    `--storage.path=${PATHS.alertmanagerData}`,
    `--web.external-url=${urls.alertmanager}`,
    "--cluster.listen-address=",
  ];
}

export function lokiCommand(): string[] {
  return [`-config.file=${PATHS.lokiConfig}`];
}
