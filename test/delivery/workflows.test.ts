/**
 * The GitHub workflows the users get (.github/workflows/pull-request.yml and deploy.yml): triggers,
 * permissions, pinned actions, the checks, the plan, the previews and the deploys.
 */
import * as assert from "node:assert/strict";
import {
  DEPLOY,
  type Job,
  PR,
  type Step,
  text,
  workflow,
  type Workflow,
  WORKFLOW_FILES,
} from "../support/workflows";

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
      "azure/setup-helm",
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

    it("runs the chart conformance suite after the tool suite, with a pinned helm to pull the charts", () => {
      const job = PR.jobs.checks;
      const tools = stepIndex(job, (s) => s.run === "npm run test:tools");
      const helm = stepIndex(job, (s) => action(s.uses) === "azure/setup-helm");
      const conformance = stepIndex(job, (s) => s.run === "npm run test:conformance");
      assert.ok(
        tools >= 0 && tools < helm && helm < conformance,
        `order ${[tools, helm, conformance].join(",")}`,
      );
      assert.match(String(job.steps[helm].with?.version), /^v3\.\d+\.\d+$/);
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
