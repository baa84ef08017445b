/**
 * Fixtures the sizing tests share (test/sizing/, test/settings/sized.test.ts): a `Capacity` around
 * a hand-computed point, and a stack's settings with the secrets its files need.
 */
import type { Capacity } from "../../sizing/capacity";
import { parseSettings } from "../../settings/parse";
import type { Settings } from "../../settings/settings";
import { settingsInput, TEST_SECRETS } from "./harness";

export const DAY = 86_400;
export const GiB = 1024 ** 3;

/** 100k series every 15 s kept 15 d, 10 GiB of logs a day kept 14 d; `c` overrides. */
export const capacity = (c: Partial<Capacity>): Capacity => ({
  activeSeries: 100_000,
  scrapeIntervalSeconds: 15,
  retentionSeconds: 15 * DAY,
  logBytesPerDay: 10 * GiB,
  lokiRetentionDays: 14,
  ...c,
});

/** The stack's settings with the secrets its files need (no heartbeat token: no heartbeat URL). */
export const settingsFor = (stack: string, config: Record<string, unknown> = {}): Settings => {
  const secrets = Object.fromEntries(
    Object.entries(TEST_SECRETS).filter(([key]) => key !== "heartbeatToken"),
  );
  return parseSettings(settingsInput(stack, config, secrets));
};
