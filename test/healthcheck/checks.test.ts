/**
 * The CI/CD the users get: the GitHub workflows, the Pulumi Deployments settings files, and the
 * post-deploy health check's pure parts and command (with fakes for HTTP, Pulumi and kubectl).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
  type CheckResult,
  describeRequestError,
  exitCode,
  judgeGrafana,
  judgeLoki,
  judgeNodeExporter,
  judgeReady,
  judgeTargets,
  outputsFromPulumi,
  parseArgs,
  parsePortForward,
  planChecks,
  portForwardAdvice,
  renderTable,
  targetsFromOutputs,
} from "../../healthcheck/checks";
import type { RunningForward, StartPortForwards } from "../../healthcheck/portForward";
import { type HttpGet, runChecks } from "../../healthcheck/probe";
import { type Deps, main } from "../../healthcheck/run";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");
const WORKFLOW_FILES = ["pull-request.yml", "deploy.yml"];
const DEPLOY_SETTINGS = { staging: "Pulumi.staging.deploy.yaml", prod: "Pulumi.prod.deploy.yaml" };

// ---------------------------------------------------------------------------------------------
// Workflow model (only what the assertions read).
// ---------------------------------------------------------------------------------------------

type Permissions = Record<string, string> | string | undefined;

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly "working-directory"?: string;
}

interface Job {
  readonly name?: string;
  readonly "runs-on"?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { name: string };
  readonly permissions?: Permissions;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}

interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Permissions;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const text = (file: string) => fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;
const PR = workflow("pull-request.yml");
const DEPLOY = workflow("deploy.yml");

/** A job's permissions, falling back to the workflow's (as GitHub does). */
function permissionsOf(wf: Workflow, job: Job): Record<string, string> {
  const p = job.permissions ?? wf.permissions;
  assert.ok(typeof p === "object" && p !== null, "permissions must be an explicit map");
  return p;
}

const needsOf = (job: Job) =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
const stepIndex = (job: Job, test: (s: Step) => boolean) => job.steps.findIndex(test);
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
const action = (uses: string | undefined) => uses?.split("@")[0];
const SAME_REPO = "github.event.pull_request.head.repo.full_name == github.repository";

/** Does the job touch secrets, cloud credentials or a writing token? */
function usesCredentials(wf: Workflow, job: Job): boolean {
  const perms = permissionsOf(wf, job);
  return (
    perms["id-token"] === "write" ||
    JSON.stringify(job).includes("secrets.") ||
    job.steps.some((s) =>
      ["pulumi/auth-actions", "aws-actions/configure-aws-credentials"].includes(
        action(s.uses) ?? "",
      ),
    )
  );
}

describe("GitHub workflows", () => {
  it("parse, name themselves, and every job has a runner and steps", () => {
    for (const file of WORKFLOW_FILES) {
      const wf = workflow(file);
      assert.equal(typeof wf.name, "string", file);
      assert.ok(Object.keys(wf.jobs).length > 0, file);
      for (const [id, job] of Object.entries(wf.jobs)) {
        assert.ok(job["runs-on"], `${file} ${id}: runs-on`);
        assert.ok(job.steps.length > 0, `${file} ${id}: steps`);
        for (const step of job.steps)
          assert.ok((step.uses === undefined) !== (step.run === undefined), `${file} ${id} step`);
      }
    }
  });

  it("trigger on pull requests to main and on pushes to main only (never pull_request_target)", () => {
    assert.deepEqual(Object.keys(PR.on), ["pull_request"]);
    assert.deepEqual((PR.on.pull_request as { branches: string[] }).branches, ["main"]);
    assert.deepEqual(Object.keys(DEPLOY.on), ["push"]);
    assert.deepEqual((DEPLOY.on.push as { branches: string[] }).branches, ["main"]);
  });

  it("default to read-only contents and grant pull-requests/id-token write only where needed", () => {
    assert.deepEqual(PR.permissions, { contents: "read" });
    assert.deepEqual(permissionsOf(PR, PR.jobs.checks), { contents: "read" });
    assert.deepEqual(permissionsOf(PR, PR.jobs.plan), {
      contents: "read",
      "pull-requests": "write",
    });
    assert.deepEqual(permissionsOf(PR, PR.jobs.preview), {
      contents: "read",
      "pull-requests": "write",
      "id-token": "write",
    });
    assert.deepEqual(DEPLOY.permissions, { contents: "read", "id-token": "write" });
  });

  it("run no credential-using pull-request job for forks or Dependabot", () => {
    const guarded = Object.entries(PR.jobs).filter(([, job]) => usesCredentials(PR, job));
    assert.deepEqual(
      guarded.map(([id]) => id),
      ["preview"],
    );
    for (const [id, job] of guarded) {
      assert.ok(job.if?.includes(SAME_REPO), `${id} must exclude fork pull requests`);
      assert.match(job.if ?? "", /github\.actor != 'dependabot\[bot\]'/);
    }
    // The plan runs for forks too; only its comment (which needs a writing token) is skipped.
    assert.equal(PR.jobs.plan.if, undefined);
    const comment = PR.jobs.plan.steps.find((s) => action(s.uses) === "actions/github-script");
    assert.equal(comment?.if, SAME_REPO);
  });

  it("pin every action to a full commit SHA with its release version in a comment", () => {
    const pins = new Map<string, string>();
    for (const file of WORKFLOW_FILES) {
      const lines = text(file)
        .split("\n")
        .filter((l) => /^\s*(-\s+)?uses:/.test(l));
      const parsed = Object.values(workflow(file).jobs).flatMap((j) =>
        j.steps.flatMap((s) => (s.uses === undefined ? [] : [s.uses])),
      );
      assert.equal(lines.length, parsed.length, `${file}: every uses: line is a step`);
      for (const line of lines) {
        const m = /uses:\s*([\w.-]+\/[\w.-]+)@(\S+)\s+#\s*(v\d+\.\d+\.\d+)\s*$/.exec(line);
        assert.ok(m, `${file}: "${line.trim()}" needs owner/repo@<sha> # vX.Y.Z`);
        const [, name, ref, version] = m;
        assert.match(ref, /^[0-9a-f]{40}$/, `${name} is pinned to a commit, not ${ref}`);
        assert.doesNotMatch(ref, /^(main|master)$/);
        const pin = `${ref} ${version}`;
        assert.equal(pins.get(name) ?? pin, pin, `${name} is pinned the same everywhere`);
        pins.set(name, pin);
      }
    }
    assert.deepEqual([...pins.keys()].sort(), [
      "actions/checkout",
      "actions/github-script",
      "actions/setup-node",
      "aws-actions/configure-aws-credentials",
      "pulumi/actions",
      "pulumi/auth-actions",
    ]);
  });

  it("set up Node 20 with the npm cache and install with npm ci in every job", () => {
    for (const wf of [PR, DEPLOY])
      for (const [id, job] of Object.entries(wf.jobs)) {
        const node = job.steps.find((s) => action(s.uses) === "actions/setup-node");
        assert.deepEqual(node?.with, { "node-version": 20, cache: "npm" }, id);
        assert.match(runs(job), /^npm ci\b/m, id);
      }
  });

  describe("pull-request.yml", () => {
    it("lints, typechecks and runs the unit and tool suites", () => {
      const job = PR.jobs.checks;
      const order = [
        "npm ci",
        "npm run lint",
        "npm run typecheck",
        "npm test",
        "npm run test:tools",
      ].map((cmd) => stepIndex(job, (s) => s.run?.startsWith(cmd) ?? false));
      assert.ok(
        order.every((i, n) => i >= 0 && (n === 0 || i > order[n - 1])),
        `order ${order.join(",")}`,
      );
    });

    it("posts the offline plan of every stack against the base branch", () => {
      const job = PR.jobs.plan;
      const plan = job.steps.find((s) => s.run?.includes("npm run --silent plan"));
      assert.ok(plan);
      assert.match(plan.run ?? "", /plan -- all --diff "origin\/\$\{BASE_REF\}"/);
      assert.equal(plan.env?.BASE_REF, "${{ github.base_ref }}");
      const checkout = job.steps.find((s) => action(s.uses) === "actions/checkout");
      assert.equal(checkout?.with?.["fetch-depth"], 0, "the base branch must be fetched");
      const summary = job.steps.find((s) => s.run?.includes("GITHUB_STEP_SUMMARY"));
      assert.equal(summary?.if, "always()");
    });

    it("previews staging and prod with the official action, the policy pack and a PR comment", () => {
      const job = PR.jobs.preview;
      assert.deepEqual(needsOf(job), ["checks"]);
      assert.deepEqual(job.strategy?.matrix?.stack, ["staging", "prod"]);
      const preview = job.steps.find((s) => action(s.uses) === "pulumi/actions");
      assert.deepEqual(preview?.with, {
        command: "preview",
        "stack-name": "${{ vars.PULUMI_ORG }}/monitoring-stack/${{ matrix.stack }}",
        "comment-on-pr": true,
        policyPacks: "policy",
        diff: true,
      });
      const policyInstall = stepIndex(
        job,
        (s) => s["working-directory"] === "policy" && /^npm ci\b/.test(s.run ?? ""),
      );
      const previewAt = stepIndex(job, (s) => s === preview);
      assert.ok(policyInstall >= 0 && policyInstall < previewAt, "npm ci in policy/ first");
    });

    it("logs in to AWS and Pulumi Cloud through OIDC before the preview", () => {
      const job = PR.jobs.preview;
      const aws = job.steps.find((s) => action(s.uses) === "aws-actions/configure-aws-credentials");
      assert.equal(aws?.with?.["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
      const pulumi = job.steps.find((s) => action(s.uses) === "pulumi/auth-actions");
      assert.equal(pulumi?.with?.organization, "${{ vars.PULUMI_ORG }}");
      const at = (name: string) => stepIndex(job, (s) => action(s.uses) === name);
      assert.ok(at("aws-actions/configure-aws-credentials") < at("pulumi/actions"));
      assert.ok(at("pulumi/auth-actions") < at("pulumi/actions"));
    });
  });

  describe("deploy.yml", () => {
    const deployStep = (job: Job) =>
      stepIndex(job, (s) => /pulumi deployment run update/.test(s.run ?? ""));
    const healthStep = (job: Job) =>
      stepIndex(job, (s) => /npm run --silent healthcheck -- "\$STACK"/.test(s.run ?? ""));

    it("deploys staging through Pulumi Deployments, waits for it, then health-checks it", () => {
      for (const [id, stack] of [
        ["staging", "staging"],
        ["prod", "prod"],
      ]) {
        const job = DEPLOY.jobs[id];
        assert.equal(job.env?.STACK, `\${{ vars.PULUMI_ORG }}/monitoring-stack/${stack}`);
        assert.equal(job.env?.STACK_NAME, stack);
        const deploy = job.steps[deployStep(job)];
        assert.match(deploy.run ?? "", /--stack "\$STACK"/);
        assert.match(deploy.run ?? "", /--git-commit "\$GITHUB_SHA"/);
        // The CLI's default returns as soon as the deployment is queued.
        assert.match(deploy.run ?? "", /--suppress-stream-logs=false/);
        assert.ok(deployStep(job) >= 0 && healthStep(job) > deployStep(job), id);
        const settings = stepIndex(job, (s) => /deployments\/settings"/.test(s.run ?? ""));
        assert.ok(settings >= 0 && settings < deployStep(job), `${id}: settings applied first`);
      }
    });

    it("deploys prod only after staging, behind the `production` environment", () => {
      const prod = DEPLOY.jobs.prod;
      assert.ok(needsOf(prod).includes("staging"));
      const env = prod.environment;
      assert.equal(typeof env === "object" ? env.name : env, "production");
      assert.match(runs(prod), /healthcheck -- "\$STACK" --port-forward/);
      // Queued runs never cancel a running update.
      for (const job of Object.values(DEPLOY.jobs))
        assert.deepEqual((job as { concurrency?: unknown }).concurrency, {
          group: `deploy-${job.env?.STACK_NAME}`,
          "cancel-in-progress": false,
        });
    });

    it("uses no long-lived keys: OIDC roles only, no secrets", () => {
      const raw = text("deploy.yml") + text("pull-request.yml");
      assert.doesNotMatch(raw, /secrets\./);
      assert.doesNotMatch(raw, /aws-access-key-id|aws-secret-access-key|PULUMI_ACCESS_TOKEN:/);
      for (const wf of [PR, DEPLOY])
        for (const job of Object.values(wf.jobs))
          for (const s of job.steps.filter(
            (x) => action(x.uses) === "aws-actions/configure-aws-credentials",
          ))
            assert.match(String(s.with?.["role-to-assume"]), /^\$\{\{ vars\.[A-Z_]+ \}\}$/);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Pulumi Deployments settings as code.
// ---------------------------------------------------------------------------------------------

/** Field names of the REST API's `DeploymentSettings` schema (docs page linked in each file). */
const SCHEMA = {
  settings: [
    "tag",
    "executorContext",
    "sourceContext",
    "gitHub",
    "operationContext",
    "agentPoolID",
  ],
  git: ["repoUrl", "branch", "repoDir", "commit", "gitAuth"],
  gitHub: [
    "repository",
    "pullRequestTemplate",
    "deployCommits",
    "previewPullRequests",
    "deployPullRequest",
    "paths",
  ],
  operationContext: ["oidc", "preRunCommands", "environmentVariables", "options"],
  options: [
    "skipInstallDependencies",
    "skipIntermediateDeployments",
    "shell",
    "deleteAfterDestroy",
    "remediateIfDriftDetected",
  ],
  aws: ["duration", "policyArns", "roleArn", "sessionName"],
};

interface DeploySettings {
  sourceContext: { git: Record<string, unknown> };
  gitHub: Record<string, unknown>;
  operationContext: {
    preRunCommands: string[];
    options: Record<string, unknown>;
    oidc: { aws: Record<string, unknown> };
    environmentVariables?: unknown;
  };
}

function keysWithin(value: unknown, allowed: string[], where: string): void {
  assert.ok(typeof value === "object" && value !== null, `${where} is a map`);
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  assert.deepEqual(unknown, [], `${where}: keys outside the documented schema`);
}

describe("Pulumi Deployments settings files", () => {
  for (const [stack, file] of Object.entries(DEPLOY_SETTINGS)) {
    describe(file, () => {
      const raw = fs.readFileSync(path.join(ROOT, file), "utf8");
      const doc = parse(raw) as { settings: DeploySettings };
      const s = doc.settings;

      it("names the documented schema it follows at the top", () => {
        const header = raw.split("\n").slice(0, 12).join("\n");
        assert.match(
          header,
          /https:\/\/www\.pulumi\.com\/docs\/reference\/cloud-rest-api\/schema\/deploymentsettings\//,
        );
        assert.deepEqual(Object.keys(doc), ["settings"]);
      });

      it("uses only documented fields", () => {
        keysWithin(s, SCHEMA.settings, "settings");
        keysWithin(s.sourceContext.git, SCHEMA.git, "sourceContext.git");
        keysWithin(s.gitHub, SCHEMA.gitHub, "gitHub");
        keysWithin(s.operationContext, SCHEMA.operationContext, "operationContext");
        keysWithin(s.operationContext.options, SCHEMA.options, "operationContext.options");
        keysWithin(s.operationContext.oidc, ["aws", "azure", "gcp"], "operationContext.oidc");
        keysWithin(s.operationContext.oidc.aws, SCHEMA.aws, "operationContext.oidc.aws");
      });

      it("deploys the main branch of the GitHub repository from the repository root", () => {
        assert.equal(s.sourceContext.git.branch, "main");
        assert.equal(s.sourceContext.git.repoDir, ".");
        assert.match(String(s.gitHub.repository), /^[\w.-]+\/[\w.-]+$/);
      });

      it("previews pull requests and never deploys on commit (deploy.yml does)", () => {
        assert.equal(s.gitHub.previewPullRequests, true);
        assert.equal(s.gitHub.deployCommits, false);
        // Required by the request schema.
        assert.equal(s.gitHub.pullRequestTemplate, false);
      });

      it("installs with npm ci instead of the built-in install", () => {
        assert.deepEqual(s.operationContext.preRunCommands, ["npm ci --no-audit --no-fund"]);
        assert.equal(s.operationContext.options.skipInstallDependencies, true);
      });

      it(`assumes the ${stack} deploy role through OIDC and holds no secrets`, () => {
        const aws = s.operationContext.oidc.aws;
        assert.match(
          String(aws.roleArn),
          new RegExp(`^arn:aws:iam::\\d{12}:role/monitoring-stack-${stack}-deploy$`),
        );
        assert.match(
          String(aws.sessionName),
          new RegExp(`^pulumi-deployments-monitoring-${stack}$`),
        );
        assert.match(String(aws.duration), /^\d+[hm]$/);
        assert.equal(s.operationContext.environmentVariables, undefined);
      });
    });
  }

  it("are applied by deploy.yml to the stack they are named after", () => {
    for (const job of Object.values(DEPLOY.jobs)) {
      const apply = job.steps.find((st) => /deployments\/settings"/.test(st.run ?? ""));
      assert.match(apply?.run ?? "", /"Pulumi\.\$\{STACK_NAME\}\.deploy\.yaml"/);
      assert.match(
        apply?.run ?? "",
        /\$\{PULUMI_API\}\/api\/stacks\/\$\{PULUMI_ORG\}\/\$\{PULUMI_PROJECT\}\/\$\{STACK_NAME\}\/deployments\/settings/,
      );
      assert.ok(fs.existsSync(path.join(ROOT, `Pulumi.${job.env?.STACK_NAME}.deploy.yaml`)));
    }
    assert.equal(DEPLOY.env?.PULUMI_PROJECT, "monitoring-stack");
    const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
      name: string;
    };
    assert.equal(project.name, "monitoring-stack");
  });
});

// ---------------------------------------------------------------------------------------------
// Health check: pure parts.
// ---------------------------------------------------------------------------------------------

const URLS = {
  prometheus: "http://prom:9090",
  alertmanager: "http://am:9093",
  grafana: "https://grafana.example.com",
  loki: "http://loki:3100",
};
const URL_ARGS = [
  "--prometheus",
  URLS.prometheus,
  "--alertmanager",
  URLS.alertmanager,
  "--grafana",
  `${URLS.grafana}/`,
  "--loki",
  URLS.loki,
];
const PROD_OUTPUTS = {
  grafanaUrl: "https://grafana.example.com",
  prometheusUrl: "kubectl -n monitoring port-forward svc/kps-prometheus 9090:9090",
  alertmanagerUrl: "kubectl -n monitoring port-forward svc/kps-alertmanager 9093:9093",
  lokiUrl: "kubectl -n monitoring port-forward svc/loki 3100:3100",
  workloads: ["kps", "loki", "alloy"],
};
const ok = (body = "") => ({ status: 200, body });

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail("expected an error");
}

describe("health check: arguments and stack outputs", () => {
  it("takes a stack, or all four URLs (trailing slashes dropped), plus options", () => {
    assert.deepEqual(parseArgs(["staging"]), {
      stack: "staging",
      urls: {},
      portForward: false,
      timeoutMs: 10_000,
      waitMs: 0,
      help: false,
    });
    const direct = parseArgs([...URL_ARGS, "--node-exporter=http://node:9100", "--wait", "90"]);
    assert.equal(direct.stack, undefined);
    assert.deepEqual(direct.urls, { ...URLS, nodeExporter: "http://node:9100" });
    assert.equal(direct.waitMs, 90_000);
    const prod = parseArgs(["acme/monitoring-stack/prod", "--port-forward", "--timeout", "2.5"]);
    assert.equal(prod.portForward, true);
    assert.equal(prod.timeoutMs, 2500);
    assert.equal(parseArgs(["--help"]).help, true);
  });

  it("names what is wrong with the command line", () => {
    assert.match(
      thrown(() => parseArgs(["--prometheus", URLS.prometheus])),
      /without a stack, give every URL: missing `--alertmanager`, `--grafana`, `--loki`/,
    );
    assert.match(
      thrown(() => parseArgs(["prod", "--loki", "loki:3100"])),
      /`--loki` needs an http\(s\) URL, got "loki:3100"/,
    );
    assert.match(
      thrown(() => parseArgs(["prod", "--wait", "soon"])),
      /`--wait` needs a number/,
    );
    assert.match(
      thrown(() => parseArgs(["prod", "--timeout", "0"])),
      /more than 0 seconds/,
    );
    assert.match(
      thrown(() => parseArgs(["prod", "--grafana"])),
      /`--grafana` needs a value/,
    );
    assert.match(
      thrown(() => parseArgs(["prod", "--verbose"])),
      /unknown option `--verbose`/,
    );
    assert.match(
      thrown(() => parseArgs(["staging", "prod"])),
      /give one stack/,
    );
  });

  it("recognises the prod stack's port-forward commands and nothing shell-like", () => {
    assert.deepEqual(parsePortForward(PROD_OUTPUTS.lokiUrl), {
      command: PROD_OUTPUTS.lokiUrl,
      args: ["-n", "monitoring", "port-forward", "svc/loki", "3100:3100"],
      localPort: 3100,
      url: "http://127.0.0.1:3100",
    });
    assert.equal(
      parsePortForward("kubectl -n monitoring port-forward svc/kps-grafana 3000:80")?.url,
      "http://127.0.0.1:3000",
    );
    assert.equal(parsePortForward("https://grafana.example.com"), undefined);
    assert.equal(parsePortForward("kubectl get pods"), undefined);
    assert.equal(parsePortForward("kubectl port-forward svc/x 1:2; rm -rf /"), undefined);
  });

  it("takes URLs and port-forwards from the outputs; flags override outputs", () => {
    const targets = targetsFromOutputs("prod", PROD_OUTPUTS, { loki: "http://127.0.0.1:13100" });
    assert.deepEqual(targets.urls, {
      loki: "http://127.0.0.1:13100",
      grafana: "https://grafana.example.com",
    });
    assert.deepEqual(Object.keys(targets.portForwards).sort(), ["alertmanager", "prometheus"]);
    const advice = portForwardAdvice("prod", targets);
    assert.match(
      advice,
      /outputs of `prod` for prometheus, alertmanager are `kubectl port-forward`/,
    );
    assert.match(advice, /kubectl -n monitoring port-forward svc\/kps-prometheus 9090:9090 &/);
    assert.match(
      advice,
      /npm run healthcheck -- prod --prometheus http:\/\/127\.0\.0\.1:9090 --alertmanager http:\/\/127\.0\.0\.1:9093/,
    );
    assert.match(advice, /add `--port-forward`/);
  });

  it("says which output is missing or unusable", () => {
    assert.match(
      thrown(() => targetsFromOutputs("staging", { ...PROD_OUTPUTS, lokiUrl: undefined }, {})),
      /stack `staging` has no output `lokiUrl` — deploy it first .* or pass `--loki <url>`/,
    );
    assert.match(
      thrown(() => targetsFromOutputs("staging", { ...PROD_OUTPUTS, lokiUrl: "loki:3100" }, {})),
      /`lokiUrl` of `staging` is neither a URL nor a `kubectl port-forward` command: "loki:3100"/,
    );
    assert.match(
      thrown(() => targetsFromOutputs("x", [], {})),
      /did not print an object/,
    );
  });

  it("explains a missing Pulumi CLI, a failed `pulumi stack output` and non-JSON output", () => {
    const enoent = Object.assign(new Error("spawnSync pulumi ENOENT"), { code: "ENOENT" });
    assert.match(
      thrown(() =>
        outputsFromPulumi("staging", { status: null, stdout: "", stderr: "", error: enoent }),
      ),
      /the Pulumi CLI \(`pulumi`\) is not on PATH.*pass the URLs directly: npm run healthcheck -- --prometheus <url>/,
    );
    assert.match(
      thrown(() =>
        outputsFromPulumi("staging", {
          status: 255,
          stdout: "",
          stderr:
            "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions",
        }),
      ),
      /failed \(exit 255\): error: PULUMI_ACCESS_TOKEN .* Log in first/,
    );
    assert.match(
      thrown(() =>
        outputsFromPulumi("staging", {
          status: 0,
          stdout: "Current stack outputs (0)",
          stderr: "",
        }),
      ),
      /printed no JSON: Current stack outputs \(0\)/,
    );
    assert.deepEqual(
      outputsFromPulumi("staging", { status: 0, stdout: '{"lokiUrl":"http://x"}', stderr: "" }),
      { lokiUrl: "http://x" },
    );
  });
});

describe("health check: verdicts and table", () => {
  it("judges /-/ready, Grafana's health, Loki's readiness and node-exporter's metrics", () => {
    assert.deepEqual(judgeReady(ok("Prometheus Server is Ready.\n")), {
      ok: true,
      detail: "Prometheus Server is Ready.",
    });
    assert.deepEqual(judgeReady({ status: 503, body: "Service Unavailable" }), {
      ok: false,
      detail: "HTTP 503: Service Unavailable",
    });
    assert.deepEqual(judgeGrafana(ok('{"commit":"abc","database":"ok","version":"12.1.0"}')), {
      ok: true,
      detail: "database ok, v12.1.0",
    });
    assert.deepEqual(judgeGrafana(ok('{"database":"failing"}')), {
      ok: false,
      detail: 'database: "failing"',
    });
    assert.equal(judgeGrafana(ok("<html>login</html>")).ok, false);
    assert.deepEqual(judgeLoki(ok("ready\n")), { ok: true, detail: "ready" });
    assert.deepEqual(
      judgeLoki({ status: 503, body: "Ingester not ready: waiting for 15s after being ready" }),
      { ok: false, detail: "HTTP 503: Ingester not ready: waiting for 15s after being ready" },
    );
    const metrics =
      '# HELP node_exporter_build_info A metric\nnode_exporter_build_info{branch="debian/sid",goversion="go1.19",revision="1.5.0",version="1.5.0"} 1\n';
    assert.deepEqual(judgeNodeExporter(ok(metrics)), { ok: true, detail: "v1.5.0" });
    assert.deepEqual(judgeNodeExporter(ok("up 1\n")), {
      ok: false,
      detail: "no node_exporter_build_info in /metrics",
    });
  });

  it("passes the targets only when every active target is up, naming the others", () => {
    const target = (job: string, instance: string, health: string, lastError = "") => ({
      labels: { job, instance },
      health,
      lastError,
    });
    const answer = (targets: unknown[]) =>
      ok(JSON.stringify({ status: "success", data: { activeTargets: targets } }));
    assert.deepEqual(
      judgeTargets(answer([target("prometheus", "p:9090", "up"), target("node", "n:9100", "up")])),
      { ok: true, detail: "2/2 up" },
    );
    const refused = 'Get "http://n:9100/metrics": dial tcp n:9100: connect: connection refused';
    const verdict = judgeTargets(
      answer([
        target("prometheus", "p:9090", "up"),
        target("node", "n:9100", "down", refused),
        target("loki", "l:3100", "unknown"),
      ]),
    );
    assert.equal(verdict.ok, false);
    assert.equal(verdict.detail, "1/3 up; down: node n:9100; not scraped yet: loki l:3100");
    assert.deepEqual(verdict.more, [
      `node n:9100 is down: ${refused}`,
      'loki l:3100 has not been scraped yet (health "unknown")',
    ]);
    assert.deepEqual(judgeTargets(answer([])), { ok: false, detail: "no active targets" });
    assert.equal(judgeTargets(ok("not json")).ok, false);
  });

  it("plans the probes in order, node-exporter only when given", () => {
    const plan = (urls: Parameters<typeof planChecks>[0]) =>
      planChecks(urls).map((c) => [c.name, c.url]);
    assert.deepEqual(plan(URLS), [
      ["prometheus", "http://prom:9090/-/ready"],
      ["prometheus targets", "http://prom:9090/api/v1/targets?state=active"],
      ["alertmanager", "http://am:9093/-/ready"],
      ["grafana", "https://grafana.example.com/api/health"],
      ["loki", "http://loki:3100/ready"],
    ]);
    assert.deepEqual(plan({ ...URLS, nodeExporter: "http://n:9100" }).at(-1), [
      "node-exporter",
      "http://n:9100/metrics",
    ]);
  });

  it("turns request failures into actionable words", () => {
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    assert.equal(describeRequestError(timeout, "http://x:1", 5000), "no answer within 5 s");
    const cause = (code: string) =>
      Object.assign(new TypeError("fetch failed"), { cause: { code, message: code } });
    assert.equal(
      describeRequestError(cause("ECONNREFUSED"), "http://127.0.0.1:9100/metrics", 1),
      "connection refused by 127.0.0.1:9100",
    );
    assert.match(
      describeRequestError(cause("ENOTFOUND"), "http://prometheus.mon.local:9090/-/ready", 1),
      /cannot resolve prometheus\.mon\.local:9090 \(a VPC- or cluster-internal name\?/,
    );
    const bad = Object.assign(new TypeError("fetch failed"), { cause: { message: "bad port" } });
    assert.equal(describeRequestError(bad, "http://x:1", 1), "fetch failed: bad port");
  });

  it("prints an aligned table, a summary and every failure's details", () => {
    const results: CheckResult[] = [
      { name: "prometheus", url: "http://p/-/ready", ok: true, detail: "ready", ms: 3.4 },
      {
        name: "prometheus targets",
        url: "http://p/api/v1/targets?state=active",
        ok: false,
        detail: "1/2 up; down: node n:9100",
        more: ["node n:9100 is down: connection refused"],
        ms: 12,
      },
    ];
    assert.deepEqual(renderTable(results).split("\n"), [
      "COMPONENT           URL                                   STATUS  DETAIL                     MS",
      "prometheus          http://p/-/ready                      OK      ready                       3",
      "prometheus targets  http://p/api/v1/targets?state=active  FAIL    1/2 up; down: node n:9100  12",
      "",
      "1 of 2 checks failed:",
      "  prometheus targets: 1/2 up; down: node n:9100",
      "    - node n:9100 is down: connection refused",
      "",
    ]);
    assert.equal(exitCode(results), 1);
    assert.equal(exitCode(results.slice(0, 1)), 0);
    assert.equal(exitCode([]), 1);
    assert.match(renderTable(results.slice(0, 1)), /\nAll 1 checks passed\.\n$/);
  });
});

// ---------------------------------------------------------------------------------------------
// Health check: the command, with fakes for HTTP, Pulumi and kubectl.
// ---------------------------------------------------------------------------------------------

/** Healthy answers for every probe path. */
const healthy: HttpGet = (url) => {
  const { pathname } = new URL(url);
  const bodies: Record<string, string> = {
    "/-/ready": "Ready.",
    "/api/v1/targets": JSON.stringify({
      data: { activeTargets: [{ labels: { job: "node", instance: "n:9100" }, health: "up" }] },
    }),
    "/api/health": '{"database":"ok","version":"12.1.0"}',
    "/ready": "ready",
    "/metrics": 'node_exporter_build_info{version="1.5.0"} 1\n',
  };
  const body = bodies[pathname];
  return Promise.resolve(body === undefined ? { status: 404, body: "" } : ok(body));
};

function fakeDeps(overrides: Partial<Deps> = {}): Deps & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    get: healthy,
    stackOutputs: () => ({ status: 0, stdout: JSON.stringify(PROD_OUTPUTS), stderr: "" }),
    startPortForwards: () => Promise.reject(new Error("no port-forward expected")),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    ...overrides,
    out,
    err,
  };
}

describe("health check: the command", () => {
  it("probes the given URLs and exits 0 when all pass", async () => {
    const probed: string[] = [];
    const deps = fakeDeps({
      get: (url, timeoutMs) => {
        probed.push(url);
        return healthy(url, timeoutMs);
      },
      stackOutputs: () => assert.fail("no stack given"),
    });
    assert.equal(await main([...URL_ARGS, "--node-exporter", "http://n:9100"], deps), 0);
    assert.equal(probed.length, 6);
    assert.match(deps.out.join(""), /Health check of the given URLs/);
    assert.match(deps.out.join(""), /All 6 checks passed\./);
  });

  it("reads the stack's outputs and exits 1 naming what failed", async () => {
    const asked: string[] = [];
    const deps = fakeDeps({
      stackOutputs: (stack) => {
        asked.push(stack);
        const outputs = {
          ...PROD_OUTPUTS,
          prometheusUrl: URLS.prometheus,
          alertmanagerUrl: URLS.alertmanager,
          lokiUrl: `${URLS.loki}/`,
        };
        return { status: 0, stdout: JSON.stringify(outputs), stderr: "" };
      },
      get: (url, t) =>
        url.startsWith(URLS.loki)
          ? Promise.resolve({ status: 503, body: "Ingester not ready" })
          : healthy(url, t),
    });
    assert.equal(await main(["acme/monitoring-stack/staging"], deps), 1);
    assert.deepEqual(asked, ["acme/monitoring-stack/staging"]);
    assert.match(
      deps.out.join(""),
      /loki +http:\/\/loki:3100\/ready +FAIL +HTTP 503: Ingester not ready/,
    );
  });

  it("refuses port-forward outputs without --port-forward and says what to run (exit 2)", async () => {
    const deps = fakeDeps();
    assert.equal(await main(["prod"], deps), 2);
    assert.equal(deps.out.join(""), "");
    assert.match(
      deps.err.join(""),
      /^healthcheck: the outputs of `prod` for prometheus, alertmanager, loki/,
    );
  });

  it("runs the port-forwards for the check and stops them even when a probe fails", async () => {
    const stopped: number[] = [];
    let started: string[] = [];
    const startPortForwards: StartPortForwards = (forwards) => {
      started = forwards.map((f) => f.command);
      return Promise.resolve(
        forwards.map((forward, i): RunningForward => ({
          forward,
          pid: 100 + i,
          stop: () => {
            stopped.push(100 + i);
            return Promise.resolve();
          },
        })),
      );
    };
    const probed: string[] = [];
    const deps = fakeDeps({
      startPortForwards,
      get: (url, t) => {
        probed.push(url);
        return url.includes(":9093")
          ? Promise.reject(Object.assign(new Error("timeout"), { name: "TimeoutError" }))
          : healthy(url, t);
      },
    });
    assert.equal(await main(["prod", "--port-forward", "--timeout", "1"], deps), 1);
    assert.deepEqual(started, [
      PROD_OUTPUTS.prometheusUrl,
      PROD_OUTPUTS.alertmanagerUrl,
      PROD_OUTPUTS.lokiUrl,
    ]);
    assert.deepEqual(stopped.sort(), [100, 101, 102]);
    assert.ok(probed.includes("http://127.0.0.1:3100/ready"));
    assert.ok(probed.includes("https://grafana.example.com/api/health"));
    assert.match(
      deps.out.join(""),
      /alertmanager +http:\/\/127\.0\.0\.1:9093\/-\/ready +FAIL +no answer within 1 s/,
    );
  });

  it("exits 2 with the reason when pulumi is missing or the arguments are wrong; 0 for --help", async () => {
    const enoent = Object.assign(new Error("spawnSync pulumi ENOENT"), { code: "ENOENT" });
    const missing = fakeDeps({
      stackOutputs: () => ({ status: null, stdout: "", stderr: "", error: enoent }),
    });
    assert.equal(await main(["staging"], missing), 2);
    assert.match(missing.err.join(""), /^healthcheck: the Pulumi CLI \(`pulumi`\) is not on PATH/);
    const wrong = fakeDeps();
    assert.equal(await main(["--nope"], wrong), 2);
    assert.match(wrong.err.join(""), /unknown option `--nope`/);
    const help = fakeDeps();
    assert.equal(await main(["--help"], help), 0);
    assert.match(help.out.join(""), /^Post-deploy health check/);
  });

  it("retries failing probes until they pass when asked to wait", async () => {
    let calls = 0;
    const flaky: HttpGet = (url, t) =>
      ++calls <= 2 ? Promise.resolve({ status: 503, body: "starting" }) : healthy(url, t);
    const retries: string[][] = [];
    const checks = planChecks({ loki: URLS.loki });
    const results = await runChecks(checks, {
      get: flaky,
      timeoutMs: 1000,
      waitMs: 5000,
      retryMs: 10,
      onRetry: (failing) => retries.push(failing.map((f) => f.detail)),
    });
    assert.equal(exitCode(results), 0);
    assert.deepEqual(retries, [["HTTP 503: starting"], ["HTTP 503: starting"]]);
    let rounds = 0;
    const down: HttpGet = () => {
      rounds++;
      return Promise.resolve({ status: 503, body: "starting" });
    };
    const once = await runChecks(checks, { get: down, timeoutMs: 1000, waitMs: 0, retryMs: 10 });
    assert.deepEqual([rounds, exitCode(once)], [1, 1]);
  });
});
