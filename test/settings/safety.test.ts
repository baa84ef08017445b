/**
 * Unsafe combinations and collisions (settings/safety.ts): the explicit opt-ins, subnets used
 * twice, two UIs on one host, a VPC CIDR with host bits — each reported by parseSettings with the
 * key, the value and the way out.
 */
import assert from "node:assert/strict";
import { problemsOf } from "../support/settingsProblems";

const accepts = (stack: string, overrides: Record<string, unknown>) =>
  assert.deepEqual(problemsOf(stack, overrides), [], JSON.stringify(overrides));

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0b6f4f2c-1d2e-4c3b-9a8f-2f0e1d2c3b4a";
const SUBNETS = { a: "subnet-0a1b2c3d", b: "subnet-1a2b3c4d", c: "subnet-2a3b4c5d" };

describe("settings (settings/safety.ts)", () => {
  describe("plain-HTTP ingress (prod)", () => {
    const hosts = { className: "nginx", grafanaHost: "grafana.example.com" };

    it("is refused without a TLS source, naming both TLS fields and the opt-in", () => {
      const [problem, ...rest] = problemsOf("prod", { ingress: hosts });
      assert.deepEqual(rest, []);
      assert.match(
        problem,
        /^`ingress`: got neither `clusterIssuer` nor `tlsSecretName` — the Grafana login \(and every UI on grafana\.example\.com\) would be served over plain HTTP\./,
      );
      assert.match(problem, /`pulumi config set allowPlainHttpIngress true`/);
    });

    it("is accepted with a TLS source or the opt-in", () => {
      accepts("prod", { ingress: { ...hosts, clusterIssuer: "letsencrypt" } });
      accepts("prod", { ingress: { ...hosts, tlsSecretName: "grafana-tls" } });
      accepts("prod", { ingress: hosts, allowPlainHttpIngress: true });
    });
  });

  describe("world-open admin CIDRs without TLS (staging)", () => {
    it("are refused on an internet-facing ALB without a certificate", () => {
      const problems = problemsOf("staging", {
        adminCidrs: ["203.0.113.7/32", "0.0.0.0/0", "8.0.0.0/8"],
      });
      assert.equal(problems.length, 1);
      assert.match(
        problems[0],
        /^`adminCidrs`: got \["0\.0\.0\.0\/0","8\.0\.0\.0\/8"\] — without `certificateArn` this opens Prometheus, Alertmanager and Loki, which have no authentication, over plain HTTP to the internet/,
      );
      assert.match(problems[0], /`pulumi config set allowPublicAdminWithoutTls true`/);
    });

    it("are accepted with a certificate, an internal ALB, scoped ranges or the opt-in", () => {
      const open = { adminCidrs: ["0.0.0.0/0"] };
      accepts("staging", { ...open, certificateArn: CERT });
      accepts("staging", { ...open, albInternal: true });
      accepts("staging", { ...open, allowPublicAdminWithoutTls: true });
      accepts("staging", { adminCidrs: ["198.51.100.0/24", "10.0.0.0/8"] });
    });
  });

  it("refuses a subnet listed twice or as both public and private", () => {
    const problems = problemsOf("staging", {
      vpcId: "vpc-0a1b2c3d4e5f67890",
      publicSubnetIds: [SUBNETS.a, SUBNETS.b, SUBNETS.a],
      privateSubnetIds: [SUBNETS.c, SUBNETS.b],
    });
    assert.deepEqual(problems.length, 2);
    assert.match(
      problems[0],
      /^`publicSubnetIds\[2\]`: got "subnet-0a1b2c3d" — already listed as `publicSubnetIds\[0\]`/,
    );
    assert.match(
      problems[1],
      /^`privateSubnetIds\[1\]`: got "subnet-1a2b3c4d" — it is also in `publicSubnetIds`; a subnet is either public .* or private/,
    );
  });

  it("refuses two UIs on one ingress host", () => {
    const problems = problemsOf("prod", {
      ingress: {
        className: "nginx",
        grafanaHost: "ops.example.com",
        prometheusHost: "prom.example.com",
        alertmanagerHost: "ops.example.com",
        clusterIssuer: "letsencrypt",
      },
    });
    assert.deepEqual(problems, [
      '`ingress.alertmanagerHost`: got "ops.example.com" — `ingress.grafanaHost` already uses that host, and two UIs cannot share one (each is served at `/`): give each UI its own host.',
    ]);
  });

  it("refuses a VPC CIDR with host bits set, naming the network address", () => {
    assert.deepEqual(problemsOf("staging", { vpcCidr: "10.40.1.0/16" }), [
      '`vpcCidr`: got "10.40.1.0/16" — the address has host bits set; use the network address 10.40.0.0/16.',
    ]);
  });
});
