/**
 * Settings the environment or mode ignores (settings/modeChecks.ts): each is an error naming the
 * key, the environment or mode, and what to do; values at their defaults change nothing.
 */
import assert from "node:assert/strict";
import { problemsOf } from "../support/settingsProblems";
import { ENVIRONMENTS } from "../../catalog/environments";
import { ENVIRONMENT_KEYS } from "../../settings/modeChecks";
import { CONFIG_KEYS } from "../../settings/schema";

const FAKE_KUBECONFIG = "apiVersion: v1\nclusters: []\n";

describe("settings (settings/modeChecks.ts)", () => {
  it("a kubeconfig on staging is reported as ignored, without prod's cluster-mode advice", () => {
    const problems = problemsOf("staging", { kubeconfig: FAKE_KUBECONFIG });
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^`kubeconfig` is a prod setting and the staging stack ignores it/);
    assert.doesNotMatch(problems[0], /eksClusterMode/);
    assert.doesNotMatch(problems[0], /clusters: \[\]/, "the secret is not echoed");
  });

  it("the table agrees with the `staging:` / `prod` / `dev only:` prefix of every description", () => {
    for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
      const prefix = ENVIRONMENTS.find((env) =>
        new RegExp(`^${env}( only)?[:,]`).test(spec.description),
      );
      assert.deepEqual(
        ENVIRONMENT_KEYS[key as keyof typeof CONFIG_KEYS],
        prefix === undefined ? undefined : [prefix],
        key,
      );
    }
  });

  it("refuses a key of another environment, naming it and the stack's environment", () => {
    assert.deepEqual(problemsOf("staging", { eksVersion: "1.33" }), [
      "`eksVersion` is a prod setting and the staging stack ignores it: remove it (`pulumi config rm eksVersion`), or set `environment` if this stack is meant to be prod.",
    ]);
    assert.match(
      problemsOf("prod", { adminCidrs: ["10.0.0.0/8"] }).join("\n"),
      /^`adminCidrs` is a staging setting and the prod stack ignores it/,
    );
    assert.match(
      problemsOf("dev", { ingress: { className: "nginx", grafanaHost: "g.example.com" } }).join(
        "\n",
      ),
      /^`ingress` is a prod setting and the dev stack ignores it/,
    );
  });

  it("accepts another environment's key at its default (Pulumi.yaml passes those to every stack)", () => {
    assert.deepEqual(
      problemsOf("dev", { remoteWrite: false, adminCidrs: [], natGateways: "single" }),
      [],
    );
  });

  it("refuses node-group settings with an existing cluster", () => {
    const problems = problemsOf("prod", {
      eksClusterMode: "existing",
      kubeconfig: FAKE_KUBECONFIG,
      eksVersion: "1.33",
      nodeGroup: { instanceType: "m6i.large", minSize: 1, desiredSize: 1, maxSize: 2 },
    });
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^`eksVersion` is ignored with `eksClusterMode: existing`/);
    assert.match(
      problems[1],
      /^`nodeGroup` is ignored with `eksClusterMode: existing` \(.*\): remove it \(`pulumi config rm nodeGroup`\), or set `eksClusterMode` to `create` to have the stack create them\.$/,
    );
  });

  it("refuses the created VPC's keys with an existing VPC, and public subnets with an internal ALB", () => {
    const problems = problemsOf("staging", {
      vpcId: "vpc-0a1b2c3d4e5f67890",
      privateSubnetIds: ["subnet-0a1b2c3d", "subnet-1a2b3c4d"],
      publicSubnetIds: ["subnet-2a3b4c5d", "subnet-3a4b5c6d"],
      albInternal: true,
      vpcCidr: "10.50.0.0/16",
      natGateways: "perAz",
    });
    assert.deepEqual(
      problems.map((p) => p.split(" ")[0]),
      ["`vpcCidr`", "`natGateways`", "`publicSubnetIds`"],
    );
    assert.match(problems[2], /ignored with `albInternal: true`/);
  });
});
