/**
 * Settings and the dev (Docker) rendering of the monitoring files, shared by the content tests that
 * read rendered files (test/content/{files,prometheus,loki,alloy,alertmanager}*.test.ts).
 */
import { dockerNetwork, renderFiles, type RenderedFiles } from "../../content/files";
import { parseSettings } from "../../settings/parse";
import type { Settings } from "../../settings/settings";
import { DOCKER_SOCKET, LOCAL_HOSTS } from "../../components/dev/containers";
import { settingsInput, TEST_SECRETS } from "./harness";

/** Settings of `stack`'s stack file plus `overrides`, with only Grafana's password unless told. */
export function settingsFor(
  stack: string,
  secrets: Record<string, string> = { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword },
  overrides = {},
): Settings {
  return parseSettings(settingsInput(stack, overrides, secrets));
}

/** Every file of `s` rendered for the dev Docker network. */
export const render = (s: Settings): RenderedFiles =>
  renderFiles(s, dockerNetwork(LOCAL_HOSTS, `unix://${DOCKER_SOCKET}`));
