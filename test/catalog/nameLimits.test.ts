/**
 * catalog/nameLimits.ts: for every kind of name, a name its service accepts and one it refuses
 * (lengths counted by hand), the reserved prefixes, and every limit citing its page.
 */
import * as assert from "node:assert/strict";
import {
  AUTONAME_SUFFIX_LENGTH,
  autoName,
  NAME_LIMITS,
  type NameKind,
  nameViolations,
} from "../../catalog/nameLimits";

const rules = (kind: NameKind, name: string) => nameViolations(kind, name).map((v) => v.rule);

/** Per kind: a name at the limit that passes, and names that fail, with the rules they break. */
const CASES: Record<NameKind, { ok: string; bad: [string, string[]][] }> = {
  s3Bucket: {
    ok: `${"b".repeat(60)}.io`, // 63
    bad: [
      ["b".repeat(64), ["length"]],
      ["Upper-case", ["characters"]],
      ["two..dots", ["characters"]],
      ["xn--bucket", ["reservedPrefix"]],
      ["sthree-bucket", ["reservedPrefix"]],
      ["ab", ["length"]],
    ],
  },
  s3BucketPrefix: {
    ok: `${"c".repeat(29)}-config-`, // 37
    bad: [
      [`${"c".repeat(30)}-config-`, ["length"]], // 38
      ["under_score-", ["characters"]],
      ["-starts-with-dash", ["characters"]],
      ["xn--abc-config-", ["reservedPrefix"]],
    ],
  },
  iamRole: {
    ok: "r".repeat(64),
    bad: [
      ["r".repeat(65), ["length"]],
      ["role/with/slash", ["characters"]],
    ],
  },
  iamRoleNamePrefix: { ok: "p".repeat(38), bad: [["p".repeat(39), ["length"]]] },
  iamPolicy: {
    ok: `${"p".repeat(121)}-policy`, // 128
    bad: [
      ["p".repeat(129), ["length"]],
      ["policy name", ["characters"]],
    ],
  },
  ecsCluster: {
    ok: "a_b-C".repeat(51), // 255
    bad: [
      ["a".repeat(256), ["length"]],
      ["monitoring-stack-staging_eu.1", ["characters"]],
    ],
  },
  ecsService: { ok: "alertmanager", bad: [["alert.manager", ["characters"]]] },
  ecsTaskFamily: {
    ok: "f".repeat(255),
    bad: [
      ["f".repeat(256), ["length"]],
      ["fam.ily", ["characters"]],
    ],
  },
  eksCluster: {
    ok: `9${"e".repeat(99)}`, // 100
    bad: [
      ["e".repeat(101), ["length"]],
      ["-leading-dash", ["characters"]],
      ["dot.ted", ["characters"]],
    ],
  },
  eksNodeGroup: {
    ok: `${"n".repeat(49)}-nodes-xxxxxxx`, // 49 + 6 + 8 = 63
    bad: [
      [`${"n".repeat(50)}-nodes-xxxxxxx`, ["length"]], // 64
      ["_nodes", ["characters"]],
    ],
  },
  launchTemplate: {
    ok: "lt(1).a/b_c-d",
    bad: [
      ["lt", ["length"]],
      ["l".repeat(129), ["length"]],
      ["lt name", ["characters"]],
    ],
  },
  loadBalancer: {
    ok: "l".repeat(32),
    bad: [
      ["l".repeat(33), ["length"]],
      ["ends-with-", ["characters"]],
      ["internal-alb", ["reservedPrefix"]],
    ],
  },
  targetGroup: {
    ok: "t".repeat(32),
    bad: [
      ["t".repeat(33), ["length"]],
      ["-tg", ["characters"]],
    ],
  },
  elbNamePrefix: {
    ok: "graf-",
    bad: [
      ["grafana-", ["length"]], // 8
      ["-mon", ["characters"]],
    ],
  },
  securityGroup: {
    ok: `${"s".repeat(240)}-efs-sg-xxxxxxx`, // 240 + 7 + 8 = 255
    bad: [
      [`${"s".repeat(241)}-efs-sg-xxxxxxx`, ["length"]],
      ["sg-test-efs-sg-xxxxxxx", ["reservedPrefix"]],
      ["tab\tname", ["characters"]],
    ],
  },
  kmsAlias: {
    ok: "alias/staging-eu-west-1-efs",
    bad: [
      [`alias/${"k".repeat(251)}`, ["length"]], // 257
      ["alias/monitoring-stack-staging_eu.1-efs", ["characters"]],
      ["staging-efs", ["characters"]],
      ["alias/aws/ebs", ["reservedPrefix"]],
    ],
  },
  cloudMapNamespace: {
    ok: "staging-eu-west-1.monitoring.internal",
    bad: [
      ["monitoring-stack-staging_eu.1.monitoring.internal", ["characters"]],
      [`${"d".repeat(64)}.monitoring.internal`, ["characters"]], // a 64-character label
      [`${"d.".repeat(127)}dd`, ["length"]], // 256
    ],
  },
  efsCreationToken: {
    ok: `${"e".repeat(52)}-efs-xxxxxxx`, // 52 + 4 + 8 = 64
    bad: [[`${"e".repeat(53)}-efs-xxxxxxx`, ["length"]]],
  },
  logGroup: {
    ok: "/ecs/staging-eu-west-1/alertmanager",
    bad: [
      [`/${"g".repeat(512)}`, ["length"]],
      ["/ecs/a b", ["characters"]],
    ],
  },
  secret: {
    ok: "staging-eu-west-1/grafanaAdminPassword",
    bad: [
      ["s".repeat(513), ["length"]],
      ["secret name", ["characters"]],
    ],
  },
  ampAlias: { ok: "a".repeat(100), bad: [["a".repeat(101), ["length"]]] },
  k8sSubdomain: {
    ok: "monitoring-stack.slo-api",
    bad: [
      ["k".repeat(254), ["length"]],
      ["Upper", ["characters"]],
    ],
  },
  k8sLabel: {
    ok: "l".repeat(63),
    bad: [
      ["l".repeat(64), ["length"]],
      ["dot.ted", ["characters"]],
    ],
  },
  helmRelease: {
    ok: "h".repeat(53),
    bad: [
      ["h".repeat(54), ["length"]],
      ["kps_", ["characters"]],
    ],
  },
  docker: {
    ok: "monitoring-stack-dev_x.1-prometheus",
    bad: [
      ["-local", ["characters"]],
      ["a", ["length", "characters"]],
      ["local/prometheus", ["characters"]],
    ],
  },
};

describe("name limits (catalog/nameLimits.ts)", () => {
  for (const kind of Object.keys(NAME_LIMITS) as NameKind[]) {
    it(`${kind}: accepts ${JSON.stringify(CASES[kind].ok.slice(0, 40))} and refuses the bad names`, () => {
      assert.deepEqual(rules(kind, CASES[kind].ok), [], CASES[kind].ok);
      for (const [name, broken] of CASES[kind].bad)
        assert.deepEqual(rules(kind, name), broken, `${kind} ${JSON.stringify(name)}`);
    });
  }

  it("reports the length and the limit", () => {
    assert.deepEqual(nameViolations("iamRole", "r".repeat(68)), [
      { rule: "length", length: 68, max: 64, min: 1 },
    ]);
    assert.deepEqual(nameViolations("securityGroup", "sg-x"), [
      { rule: "reservedPrefix", prefix: "sg-" },
    ]);
  });

  it("shows an auto-name as the logical name, `-` and 7 characters", () => {
    assert.equal(AUTONAME_SUFFIX_LENGTH, 8);
    assert.equal(autoName("prod-eks-node"), "prod-eks-node-xxxxxxx");
  });

  it("cites an https page for every limit", () => {
    for (const [kind, limit] of Object.entries(NAME_LIMITS))
      assert.match(limit.doc, /^https:\/\//, kind);
  });
});
