/**
 * The Pulumi Deployments settings files (Pulumi.<stack>.deploy.yaml): only documented fields, the
 * source, the OIDC roles, and that deploy.yml applies each to its stack.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ROOT } from "../support/harness";
import { DEPLOY } from "../support/workflows";

const DEPLOY_SETTINGS = { staging: "Pulumi.staging.deploy.yaml", prod: "Pulumi.prod.deploy.yaml" };

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
