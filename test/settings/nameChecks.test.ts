/**
 * settings/nameChecks.ts: physical names checked as the cloud sees them, for a `clusterName` that is
 * set or derived from the project and stack names; and the names it checks are exactly the names the
 * program registers under mocks (so the two cannot drift).
 */
import * as assert from "node:assert/strict";
import { NAMED_TYPES, physicalNameOf } from "../support/namedResources";
import { physicalNames } from "../../catalog/resourceNames";
import { maxClusterNameLength, nameShape } from "../../settings/nameChecks";
import { parseSettings } from "../../settings/parse";
import { validateRaw } from "../../settings/validate";
import {
  ALL_RECEIVERS_CONFIG,
  reveal,
  type RunOptions,
  settingsInput,
  sharedRun,
  TEST_SECRETS,
} from "../support/harness";

const SECRETS = { grafanaAdminPassword: TEST_SECRETS.grafanaAdminPassword };
/** staging's stack file sets `smtp.username`, which needs the SMTP password. */
const STAGING_SECRETS = { ...SECRETS, smtpPassword: TEST_SECRETS.smtpPassword };

/** The problems of parsing `stack`'s files with `overrides`, under the stack name `name`. */
function problems(stack: string, overrides: Record<string, unknown>, name = stack): string[] {
  const secrets = stack === "dev" ? SECRETS : STAGING_SECRETS;
  try {
    parseSettings({ ...settingsInput(stack, overrides, secrets), stack: name });
  } catch (e) {
    return ((e as { problems?: string[] }).problems ?? []).filter((p) =>
      p.startsWith("`clusterName`"),
    );
  }
  return [];
}

/** Without `clusterName`, under another stack name: the default applies. */
const unset = (environment: string) => ({ clusterName: undefined, environment });

describe("physical names (settings/nameChecks.ts)", () => {
  describe("the default `clusterName` from the project and stack names", () => {
    it("GIVEN staging named `staging-eu-central-1` THEN the IAM role and bucketPrefix are too long", () => {
      const found = problems("staging", unset("staging"), "staging-eu-central-1");
      // "monitoring-stack-staging-eu-central-1" is 37 characters: + "-alertmanager-execution" (23)
      // + 8 = 68 > 64; + "-config-" (8) = 45 > 37. The longest that fits: 37 - 8 = 29.
      assert.equal(found.length, 2, found.join("\n"));
      assert.match(
        found.join("\n"),
        /`clusterName` \(default "monitoring-stack-staging-eu-central-1", from the project and stack names\) makes the IAM role name "monitoring-stack-staging-eu-central-1-alertmanager-execution-xxxxxxx" 68 characters long \(Pulumi adds `-` and 7 random characters\); IAM allows 64 \(https:\/\/docs\.aws\.amazon\.com\/IAM\/[^)]+\)\. Set `clusterName` to at most 29 characters \(`pulumi config set clusterName <name>`\)\./,
      );
      assert.match(
        found.join("\n"),
        /the S3 bucketPrefix "monitoring-stack-staging-eu-central-1-config-" 45 characters long; S3 allows 37/,
      );
    });

    it("GIVEN staging named `staging_eu.1` THEN the ECS cluster, KMS alias and Cloud Map namespace are invalid", () => {
      const found = problems("staging", unset("staging"), "staging_eu.1").join("\n");
      assert.match(
        found,
        /the ECS cluster name "monitoring-stack-staging_eu\.1" invalid: ECS allows/,
      );
      assert.match(found, /the KMS alias "alias\/monitoring-stack-staging_eu\.1-efs" invalid/);
      assert.match(
        found,
        /the Cloud Map namespace "monitoring-stack-staging_eu\.1\.monitoring\.internal" invalid/,
      );
      assert.match(found, /Set `clusterName` to a DNS label/);
    });

    it("GIVEN dev named `dev_x.1` THEN Docker accepts the names", () => {
      assert.deepEqual(problems("dev", unset("dev"), "dev_x.1"), []);
    });
  });

  describe("a `clusterName` that is set", () => {
    it("GIVEN 63 characters THEN staging is refused and dev is accepted", () => {
      const name = "a".repeat(63);
      const found = problems("staging", { clusterName: name }).join("\n");
      // 63 + 23 + 8 = 94 (IAM 64); 63 + 8 = 71 (bucketPrefix 37); 63 + 4 + 8 = 75 (EFS 64).
      assert.match(
        found,
        /`clusterName`: got "a{63}" — it makes the IAM role name "a{63}-alertmanager-execution-xxxxxxx" 94 characters long/,
      );
      assert.match(found, /bucketPrefix "a{63}-config-" 71 characters long; S3 allows 37/);
      assert.match(found, /EFS creation token "a{63}-efs-xxxxxxx" 75 characters long/);
      assert.match(found, /Set `clusterName` to at most 29 characters\./);
      assert.deepEqual(problems("dev", { clusterName: name }), []);
    });

    it("GIVEN 29 characters in staging THEN it is accepted; 30 is not", () => {
      assert.deepEqual(problems("staging", { clusterName: "s".repeat(29) }), []);
      assert.equal(problems("staging", { clusterName: "s".repeat(30) }).length, 1);
    });

    it("GIVEN prod THEN the node group, roles and the Loki bucket count", () => {
      // "-eks-cluster" (12) + 8: a 44-character name gives 64, 45 gives 65.
      assert.deepEqual(problems("prod", { clusterName: "p".repeat(44) }), []);
      assert.match(
        problems("prod", { clusterName: "p".repeat(45) }).join("\n"),
        /IAM role name "p{45}-eks-cluster-xxxxxxx" 65 characters long.*Set `clusterName` to at most 44 characters/,
      );
      // simple-scalable Loki: "-loki-" (6) → 31 at most.
      assert.match(
        problems("prod", { clusterName: "p".repeat(32), lokiMode: "simpleScalable" }).join("\n"),
        /S3 bucketPrefix "p{32}-loki-" 38 characters long; S3 allows 37.*at most 31 characters/,
      );
      // An existing cluster: the stack names no AWS resource.
      assert.deepEqual(
        problems("prod", {
          clusterName: "p".repeat(63),
          eksClusterMode: "existing",
          kubeconfig: undefined,
        }).filter((p) => !p.includes("kubeconfig")),
        [],
      );
    });

    it("GIVEN `sg-` THEN the security groups are refused in staging only", () => {
      assert.match(
        problems("staging", { clusterName: "sg-monitoring" }).join("\n"),
        /the security group name "sg-monitoring-efs-sg-xxxxxxx" start with `sg-`, which EC2 reserves .*Set a `clusterName` that does not start with `sg-`\./,
      );
      assert.deepEqual(problems("dev", { clusterName: "sg-monitoring" }), []);
    });

    it("GIVEN `xn--` THEN the config bucket is refused", () => {
      assert.match(
        problems("staging", { clusterName: "xn--monitoring" }).join("\n"),
        /the S3 bucketPrefix "xn--monitoring-config-" start with `xn--`, which S3 reserves/,
      );
    });

    it("GIVEN an invalid `clusterName` THEN only the schema reports it", () => {
      assert.deepEqual(problems("staging", { clusterName: "Bad_Name" }), [
        '`clusterName`: got "Bad_Name" — must be a DNS label (lower-case letters, digits, `-`).',
      ]);
    });
  });

  it("the longest `clusterName` per environment: staging 29, prod 44 (31 with Loki's bucket)", () => {
    const shape = (env: "staging" | "prod", lokiBucket = false) => ({
      environment: env,
      prefix: "x",
      secretKeys: ["grafanaAdminPassword"],
      adminListeners: true,
      createCluster: true,
      remoteWrite: true,
      lokiBucket,
    });
    assert.equal(maxClusterNameLength(shape("staging")), 29);
    // "-prometheus-amp" (15) + 8 = 23 → 41 with remote write.
    assert.equal(maxClusterNameLength(shape("prod")), 41);
    assert.equal(maxClusterNameLength(shape("prod", true)), 31);
  });
});

const ALL: RunOptions = {
  secrets: { ...TEST_SECRETS },
  config: { heartbeatUrl: ALL_RECEIVERS_CONFIG.heartbeatUrl },
};
/** The committed stacks, and the options that add named resources (the policy pack's runs). */
const RUNS: readonly { stack: string; opts: RunOptions }[] = [
  { stack: "dev", opts: {} },
  { stack: "staging", opts: ALL },
  { stack: "prod", opts: ALL },
  {
    stack: "staging",
    opts: {
      ...ALL,
      config: {
        ...ALL.config,
        certificateArn:
          "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-0000-4000-8000-000000000001",
        adminCidrs: ["10.20.0.0/16"],
      },
    },
  },
  {
    stack: "prod",
    opts: { ...ALL, config: { ...ALL.config, lokiMode: "simpleScalable", remoteWrite: true } },
  },
];

describe("the names checked are the names the program registers", function () {
  this.timeout(120_000);
  for (const { stack, opts } of RUNS) {
    it(`${stack} ${JSON.stringify(opts.config ?? {})}`, async () => {
      const run = await sharedRun(stack, opts);
      const registered = run.resources.flatMap((r) => {
        const named = NAMED_TYPES[r.type];
        if (named?.auto === true) {
          const value = reveal(r.inputs[named.field]);
          assert.equal(value, undefined, `${r.name} sets ${named.field}; it is auto-named`);
        }
        const physical = physicalNameOf(r);
        return physical === undefined ? [] : [`${physical.kind} ${physical.name}`];
      });
      const input = settingsInput(stack, opts.config ?? {}, opts.secrets ?? SECRETS);
      const settings = parseSettings(input);
      const shape = nameShape(
        settings.environment,
        settings.clusterName,
        validateRaw(input).values,
      );
      const checked = physicalNames(shape).map((n) => `${n.kind} ${n.name}`);
      assert.deepEqual([...checked].sort(), [...registered].sort());
    });
  }
});
