/**
 * The offline plan in-process (`plan/plan.ts`, what `plan/run.ts` prints and writes): every stack's
 * tree, counts, rendered files and cost, secrets never written, each stack's cost against sums done by
 * hand. The parts on their own are tested beside this file (cost.test.ts, secrets.test.ts,
 * compare.test.ts, …); the command line itself (exit codes, `--diff` in a throwaway copy of the
 * repository, a stack the program throws for) in test/plan/run.tools.test.ts.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ecsNetwork, namespaceName } from "../../components/staging/ecsStack";
import { ECS_SERVICES } from "../../catalog/names";
import { DOCKER_SOCKET, LOCAL_HOSTS } from "../../components/dev/containers";
import { dockerNetwork, PATHS, renderFiles, type RenderedFiles } from "../../content/files";
import { parseSettings } from "../../settings/parse";
import { type CostEstimate, PRICES } from "../../plan/cost";
import { type PlanSummary, writePlan } from "../../plan/folder";
import { formatPlan, usd } from "../../plan/format";
import { planStack } from "../../plan/plan";
import { countByType, type PlanResource } from "../../plan/resources";
import { placeholderSecrets, SECRET_MARK } from "../../plan/secrets";
import { projectConfig } from "../../plan/stackConfig";
import {
  ALL_RECEIVERS_CONFIG,
  resourcesOfType,
  reveal,
  settingsInput,
  sharedRun,
  TEST_SECRETS,
} from "../support/harness";

const STACKS = ["dev", "staging", "prod"] as const;
const HOURS = PRICES.hoursPerMonth;
const P = PRICES.prices;

const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every rendered file of a target by its path in the plan folder (`files/<component>/<path>`). */
function byPlanPath(files: RenderedFiles): Map<string, string> {
  return new Map(
    Object.entries(files).flatMap(([component, contents]) =>
      Object.entries(contents as Record<string, string>).map(
        ([file, content]) => [`files/${component}${file}`, content] as const,
      ),
    ),
  );
}

/** The staging cost lines of the default sizing, by hand from `plan/prices.json`. */
function stagingLinesByHand(): Record<string, number> {
  return {
    // Derived from staging's capacity: Prometheus 0.5 vCPU / 1 GB, Loki 0.5 / 1; fixed:
    // Alertmanager 0.25 / 0.5, Grafana 0.5 / 1.
    "Fargate vCPU": (0.5 + 0.25 + 0.5 + 0.5) * HOURS * P.fargateVcpuHour,
    "Fargate memory": (1 + 0.5 + 1 + 1) * HOURS * P.fargateGbHour,
    // Derived retentionSize 17GB + Loki's 5 GiB/day × 30 d / 4 × 1.25 = 46.9 GiB and 1 GiB for
    // Grafana and Alertmanager → 48 GB.
    "EFS storage": (17 + 48) * P.efsGbMonth,
    "Application Load Balancer": 1 * HOURS * P.albHour,
    "ALB capacity units": 1 * 1 * HOURS * P.albLcuHour,
    "NAT gateway": 1 * HOURS * P.natGatewayHour,
    // The NAT gateway's Elastic IP and the internet-facing ALB's address in each of two subnets.
    "Public IPv4 addresses": (1 + 2) * HOURS * P.publicIpv4Hour,
    // grafanaAdminPassword and smtpPassword.
    "Secrets Manager": 2 * P.secretsManagerSecretMonth,
    "KMS keys": 1 * P.kmsKeyMonth,
  };
}

function assertCost(cost: CostEstimate, expected: Record<string, number>): void {
  assert.deepEqual(
    cost.lines.map((l) => l.item),
    Object.keys(expected),
  );
  for (const line of cost.lines) {
    assert.ok(
      Math.abs(line.monthlyUsd - expected[line.item]) < 1e-9,
      `${line.item}: ${line.monthlyUsd} ≠ ${expected[line.item]}`,
    );
  }
  const total = Object.values(expected).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(cost.totalUsd - total) < 1e-9, `total ${cost.totalUsd} ≠ ${total}`);
}

describe("offline plan (plan/run.ts)", function () {
  this.timeout(180_000);

  let out: string;
  /** What the plan prints for each stack (`formatPlan`); the CLI prints the same (test/plan/run.tools.test.ts). */
  const printed = new Map<string, string>();
  const summary = (stack: string) =>
    JSON.parse(fs.readFileSync(path.join(out, stack, "plan.json"), "utf8")) as PlanSummary;
  const written = (stack: string, file: string) =>
    fs.readFileSync(path.join(out, stack, file), "utf8");

  before(async () => {
    out = tempDir("plan-out-");
    for (const stack of STACKS) {
      const stackPlan = await planStack(stack);
      writePlan(stackPlan, path.join(out, stack));
      printed.set(stack, `${formatPlan(stackPlan).join("\n")}\n`);
    }
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  describe("each stack", () => {
    for (const stack of STACKS) {
      it(`GIVEN ${stack} WHEN planned THEN the counts by type equal the recorded resources`, async () => {
        const stdout = printed.get(stack);
        assert.ok(stdout);
        const run = await sharedRun(stack, { secrets: placeholderSecrets(projectConfig(stack)) });
        const expected = countByType(run.resources);

        assert.deepEqual(summary(stack).counts, expected);
        assert.equal(summary(stack).resourceCount, run.resources.length);
        const resources = JSON.parse(written(stack, "resources.json")) as PlanResource[];
        assert.deepEqual(countByType(resources), expected);
        for (const [type, n] of Object.entries(expected)) {
          assert.match(stdout, new RegExp(`^ +${n}  ${literal(type)}$`, "m"));
        }
        assert.match(stdout, new RegExp(`^ +${run.resources.length}  total$`, "m"));
      });

      it(`GIVEN ${stack} WHEN planned THEN the tree shows every resource under its component`, () => {
        const stdout = printed.get(stack) ?? "";
        const tree = stdout.split("Resource tree\n")[1].split("\n\n")[0].split("\n");
        const count = summary(stack).resourceCount ?? 0;
        assert.equal(tree.length, count);
        assert.match(
          tree[0],
          /^monitoring:(docker|aws|k8s):(LocalStack|EcsStack|EksStack) {2}monitoring$/,
        );
        for (const line of tree.slice(1)) assert.match(line, /^[├└]── \S+ {2}\S+$/);
      });
    }
  });

  describe("rendered files", () => {
    const placeholders = (stack: string) => placeholderSecrets(projectConfig(stack));

    it("GIVEN staging THEN prometheus.yml, the rules and every other file are renderFiles' for the ECS network", () => {
      const settings = parseSettings(settingsInput("staging", {}, placeholders("staging")));
      const expected = byPlanPath(
        renderFiles(settings, ecsNetwork(namespaceName(settings.clusterName))),
      );
      assert.equal(
        written("staging", `files/prometheus${PATHS.prometheusConfig}`),
        expected.get(`files/prometheus${PATHS.prometheusConfig}`),
      );
      assert.ok(expected.has(`files/alertmanager${PATHS.alertmanagerConfig}`));
      assert.ok([...expected.keys()].filter((f) => f.includes("/rules/")).length >= 10);
      for (const [file, content] of expected) assert.equal(written("staging", file), content, file);
      const ours = filesUnder(path.join(out, "staging", "files")).map((f) =>
        path.relative(path.join(out, "staging"), f),
      );
      assert.deepEqual(ours.sort(), [...expected.keys()].sort());
    });

    it("GIVEN dev THEN every file is renderFiles' for the Docker network and the password file is [secret]", () => {
      const settings = parseSettings(settingsInput("dev", {}, placeholders("dev")));
      const expected = byPlanPath(
        renderFiles(settings, dockerNetwork(LOCAL_HOSTS, `unix://${DOCKER_SOCKET}`)),
      );
      // Grafana's uploads are one secret list (they include the password): shown file by file.
      assert.ok(
        expected.has("files/grafana/etc/grafana/provisioning/datasources/datasources.yaml"),
      );
      for (const [file, content] of expected) assert.equal(written("dev", file), content, file);
      assert.equal(written("dev", `files/grafana${PATHS.grafanaAdminPassword}`), SECRET_MARK);
    });

    it("GIVEN staging THEN each service's task definition is written with its container definitions as JSON", () => {
      const settings = parseSettings(settingsInput("staging", {}, placeholders("staging")));
      for (const service of ECS_SERVICES) {
        const td = JSON.parse(
          written("staging", `task-definitions/${settings.clusterName}-${service}.json`),
        ) as { cpu: string; memory: string; containerDefinitions: { name: string }[] };
        assert.equal(td.cpu, String(settings.aws.taskSizes[service].cpu));
        assert.equal(td.memory, String(settings.aws.taskSizes[service].memory));
        assert.deepEqual(
          td.containerDefinitions.map((c) => c.name),
          ["config-init", service, "node-exporter"],
        );
      }
    });

    it("GIVEN prod THEN each release's Helm values, the PrometheusRules and the dashboard ConfigMaps are YAML", async () => {
      const run = await sharedRun("prod", { secrets: placeholders("prod") });
      const releases = resourcesOfType(run, "kubernetes:helm.sh/v3:Release");
      assert.deepEqual(releases.map((r) => r.inputs.name).sort(), ["alloy", "kps", "loki"]);
      for (const release of releases) {
        const file = written("prod", `helm/${String(release.inputs.name)}.values.yaml`);
        assert.deepEqual(parse(file), reveal(release.inputs.values));
        assert.match(
          file,
          new RegExp(
            `^# ${literal(String(release.inputs.chart))} ${literal(String(release.inputs.version))} from https://`,
          ),
        );
      }
      const manifests = (kind: string) =>
        fs
          .readdirSync(path.join(out, "prod", "manifests", kind))
          .map((f) => parse(written("prod", `manifests/${kind}/${f}`)) as Record<string, unknown>);
      const rules = manifests("PrometheusRule");
      assert.equal(
        rules.length,
        resourcesOfType(run, "kubernetes:monitoring.coreos.com/v1:PrometheusRule").length,
      );
      assert.ok(
        rules.every((r) => r.apiVersion === "monitoring.coreos.com/v1" && r.spec !== undefined),
      );
      const dashboards = manifests("ConfigMap");
      assert.equal(dashboards.length, 5);
      for (const cm of dashboards) {
        const meta = cm.metadata as { labels: Record<string, string> };
        assert.equal(meta.labels.grafana_dashboard, "1");
        const data = Object.values(cm.data as Record<string, string>);
        assert.ok(JSON.parse(data[0]));
      }
    });
  });

  describe("secrets", () => {
    it("GIVEN the placeholder secrets THEN none is printed or written; secret inputs read [secret]", () => {
      for (const stack of STACKS) {
        const values = Object.values(placeholderSecrets(projectConfig(stack)));
        const texts = [
          printed.get(stack) ?? "",
          ...filesUnder(path.join(out, stack)).map((f) => fs.readFileSync(f, "utf8")),
        ];
        for (const text of texts) {
          assert.doesNotMatch(text, /<secret:/);
          for (const value of values) assert.ok(!text.includes(value), `${stack}: ${value} leaked`);
        }
      }
      const staging = JSON.parse(written("staging", "resources.json")) as PlanResource[];
      const versions = staging.filter(
        (r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion",
      );
      assert.equal(versions.length, 2);
      for (const v of versions) assert.equal(v.inputs.secretString, SECRET_MARK);
      const prod = JSON.parse(written("prod", "resources.json")) as PlanResource[];
      const secrets = prod.filter((r) => r.type === "kubernetes:core/v1:Secret");
      assert.ok(secrets.length > 0 && secrets.every((s) => s.inputs.stringData === SECRET_MARK));
    });

    it("GIVEN every receiver with the test secrets WHEN planned and written THEN no secret value is in any file", async () => {
      const dir = tempDir("plan-secrets-");
      try {
        for (const stack of STACKS) {
          const stackPlan = await planStack(stack, {
            secrets: { ...TEST_SECRETS },
            config: ALL_RECEIVERS_CONFIG,
          });
          writePlan(stackPlan, path.join(dir, stack));
        }
        const files = filesUnder(dir);
        for (const file of files) {
          const text = fs.readFileSync(file, "utf8");
          for (const [key, value] of Object.entries(TEST_SECRETS)) {
            assert.ok(!text.includes(value), `${key} in ${path.relative(dir, file)}`);
          }
        }
        // The dev Alertmanager uploads are one secret list now; its config file is still shown.
        const config = fs.readFileSync(
          path.join(dir, "dev", `files/alertmanager${PATHS.alertmanagerConfig}`),
          "utf8",
        );
        assert.match(config, /auth_password_file: \/etc\/alertmanager\/secrets\//);
        const secretFiles = files.filter((f) => f.includes(`${path.sep}secrets${path.sep}`));
        assert.ok(secretFiles.length >= 4);
        for (const f of secretFiles) assert.equal(fs.readFileSync(f, "utf8"), SECRET_MARK);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("cost", () => {
    it("GIVEN staging THEN each line is the declared size × the price in prices.json", () => {
      const cost = summary("staging").cost;
      assert.ok(cost);
      const byHand = stagingLinesByHand();
      assertCost(cost, byHand);
      const stdout = printed.get("staging") ?? "";
      for (const [item, amount] of Object.entries(byHand)) {
        assert.match(stdout, new RegExp(`^  ${literal(item)} +${literal(usd(amount))}  `, "m"));
      }
      const total = Object.values(byHand).reduce((a, b) => a + b, 0);
      assert.match(stdout, new RegExp(`^  Total +${literal(usd(total))}$`, "m"));
    });

    it("GIVEN prod THEN each line is the declared size × the price in prices.json", () => {
      const cost = summary("prod").cost;
      assert.ok(cost);
      assertCost(cost, {
        "NAT gateway": 1 * HOURS * P.natGatewayHour,
        "Public IPv4 addresses": 1 * HOURS * P.publicIpv4Hour,
        "EKS control plane": 1 * HOURS * P.eksControlPlaneHour,
        // The default node group: 3 × m6i.xlarge with 50 GB disks.
        "EC2 nodes (prod-eu-west-1-nodes)": 3 * HOURS * P.ec2["m6i.xlarge"],
        "EBS gp3 node disks": 3 * 50 * P.ebsGp3GbMonth,
        // Derived: Prometheus 2 × 104Gi, Loki 188Gi; fixed: Alertmanager 3 × 2Gi, Grafana 10Gi.
        "EBS gp3 volume claims": (2 * 104 + 3 * 2 + 10 + 188) * P.ebsGp3GbMonth,
        "KMS keys": 1 * P.kmsKeyMonth,
      });
      assert.match(printed.get("prod") ?? "", /3 × m6i\.xlarge × 730 h × \$0\.214/);
    });

    it("GIVEN dev THEN the estimate is $0 (local Docker)", () => {
      assert.equal(summary("dev").cost?.totalUsd, 0);
      assert.match(printed.get("dev") ?? "", /^ {2}Total +\$0\.00$/m);
    });
  });
});
