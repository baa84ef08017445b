/**
 * Reads the current stack's Pulumi config: the only caller of `pulumi.Config` in the program. Raw
 * values go through parseSettings; its warnings are logged here, its problems thrown.
 */
import * as pulumi from "@pulumi/pulumi";
import { type ParseOptions, parseSettings } from "./parse";
import type { Settings } from "./settings";

/** The current stack's settings; `options.checks` as for parseSettings (index.ts passes `CONTENT_CHECKS`). */
export function loadSettings(options: ParseOptions = {}): Settings {
  const project = pulumi.getProject();
  const prefix = `${project}:`;
  const values = Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig())
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
  const config = new pulumi.Config();
  // `isConfigSecret` is exported by the runtime but not typed; without it the plaintext check is skipped.
  const runtimeConfig = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
  const settings = parseSettings(
    {
      project,
      stack: pulumi.getStack(),
      values,
      isSecret: (k) => runtimeConfig.isConfigSecret?.(`${prefix}${k}`),
      secret: (k) => config.requireSecret(k),
    },
    options,
  );
  for (const warning of settings.warnings) void pulumi.log.warn(warning);
  return settings;
}
