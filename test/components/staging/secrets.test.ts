/** Staging secrets (components/staging/secrets.ts): one Secrets Manager secret per configured secret. */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS } from "../../../settings/schema";
import { parseSettings } from "../../../settings/parse";
import {
  configuredSecrets,
  SECRET_CONFIG_KEYS,
  secrets,
} from "../../../components/staging/secrets";
import {
  isSecretWrapper,
  promiseOf,
  reveal,
  settingsInput,
  TEST_SECRETS,
} from "../../support/harness";
import {
  allSecretsSettings,
  assertChildrenOfScope,
  assertTagged,
  countByType,
  mockArn,
  ofType,
  PREFIX,
  run,
  STAGING_SECRETS,
  T,
} from "../../support/stagingParts";

describe("staging secrets (Secrets Manager)", () => {
  const secretName = (key: string) => `${PREFIX}-${key}`;

  it("lists every secret config key of the schema that the running stack uses", () => {
    // `kubeconfig` only reaches the prod stack's Kubernetes provider; the monitoring stack itself
    // never reads it.
    const schemaSecrets = Object.entries(CONFIG_KEYS)
      .filter(([k, spec]) => spec.secret && k !== "kubeconfig")
      .map(([k]) => k);
    assert.deepEqual([...SECRET_CONFIG_KEYS].sort(), schemaSecrets.sort());
  });

  it("creates a secret and a secret value per configured secret, named <prefix>/<key>", async () => {
    const settings = allSecretsSettings();
    const r = await run((opts) => secrets(settings, opts));
    assert.deepEqual(countByType(r), {
      [T.secret]: SECRET_CONFIG_KEYS.length,
      [T.secretVersion]: SECRET_CONFIG_KEYS.length,
    });
    assertChildrenOfScope(r);
    assertTagged(r, [T.secret]);
    assert.deepEqual(Object.keys(r.result).sort(), [...SECRET_CONFIG_KEYS].sort());
    for (const [key, value] of Object.entries(configuredSecrets(settings))) {
      assert.equal(await pulumi.isSecret(value), true, `${key} is not a secret Output`);
    }
    for (const key of SECRET_CONFIG_KEYS) {
      const secret = r.resources.find((x) => x.type === T.secret && x.name === secretName(key));
      assert.ok(secret, `no secret for ${key}`);
      assert.equal(secret.inputs.name, `${PREFIX}/${key}`);
      assert.equal(secret.inputs.recoveryWindowInDays, 7);
      const version = r.resources.find(
        (x) => x.type === T.secretVersion && x.name === `${secretName(key)}-value`,
      );
      assert.ok(version, `no secret value for ${key}`);
      assert.equal(version.inputs.secretId, `${secretName(key)}-id`);
      assert.ok(isSecretWrapper(version.inputs.secretString), `${key}: secretString is not secret`);
      assert.equal(reveal(version.inputs.secretString), TEST_SECRETS[key]);
      assert.equal(await promiseOf(r.result[key]), mockArn("secretsmanager", secretName(key)));
    }
  });

  it("creates only the secrets that are set", async () => {
    const minimal = parseSettings(settingsInput("staging", {}, STAGING_SECRETS));
    assert.deepEqual(Object.keys(configuredSecrets(minimal)), [
      "grafanaAdminPassword",
      "smtpPassword",
    ]);
    const r = await run((opts) => secrets(minimal, opts));
    assert.deepEqual(
      ofType(r, T.secret)
        .map((x) => x.inputs.name)
        .sort(),
      [`${PREFIX}/grafanaAdminPassword`, `${PREFIX}/smtpPassword`],
    );
    assert.deepEqual(Object.keys(r.result).sort(), ["grafanaAdminPassword", "smtpPassword"]);

    const grafanaOnly = parseSettings(settingsInput("staging", { smtp: undefined }));
    const g = await run((opts) => secrets(grafanaOnly, opts));
    assert.deepEqual(
      ofType(g, T.secret).map((x) => x.inputs.name),
      [`${PREFIX}/grafanaAdminPassword`],
    );
  });
});
