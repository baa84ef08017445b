/** What the settings tests share: the secrets a committed stack file needs, and the problems a config gives. */
import assert from "node:assert/strict";
import { SettingsError } from "../../settings/messages";
import { parseSettings } from "../../settings/parse";
import { settingsInput, TEST_SECRETS } from "./harness";

/** The secrets a stack file needs: the password, and `smtpPassword` where it sets `smtp.username`. */
export const secretsFor = (stack: string): Record<string, string> => ({
  grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword,
  ...(stack === "dev" ? {} : { smtpPassword: TEST_SECRETS.smtpPassword }),
});

/** The problems parseSettings reports for `overrides` on `stack` (none when it accepts them). */
export function problemsOf(stack: string, overrides: Record<string, unknown>): readonly string[] {
  try {
    parseSettings(settingsInput(stack, overrides, secretsFor(stack)));
  } catch (e) {
    assert.ok(e instanceof SettingsError);
    return e.problems;
  }
  return [];
}
