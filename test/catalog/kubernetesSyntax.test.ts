/**
 * Kubernetes' syntax rules (catalog/kubernetesSyntax.ts): for each rule, values upstream accepts and
 * values it refuses, with the limits counted by hand.
 */
import assert from "node:assert/strict";
import {
  annotationsProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  ingressClassNameProblem,
  ingressHostProblem,
  K8S_LIMITS,
  labelValueProblem,
  portNameProblem,
  qualifiedNameProblem,
} from "../../catalog/kubernetesSyntax";

/** Asserts `problem` accepts every value of `ok` and refuses every value of `bad` with `message`. */
function judge(
  problem: (v: string) => string | undefined,
  ok: readonly string[],
  bad: readonly string[],
  message: RegExp,
): void {
  for (const v of ok) assert.equal(problem(v), undefined, `expected ${JSON.stringify(v)} accepted`);
  for (const v of bad) {
    const text = problem(v);
    assert.ok(text !== undefined, `expected ${JSON.stringify(v)} refused`);
    assert.match(text, message);
  }
}

describe("catalog: Kubernetes syntax (catalog/kubernetesSyntax.ts)", () => {
  it("keeps the upstream limits", () => {
    assert.deepEqual(K8S_LIMITS, {
      dns1123Label: 63,
      dns1123Subdomain: 253,
      qualifiedName: 63,
      labelValue: 63,
      annotationsTotalBytes: 262_144,
      portName: 15,
    });
  });

  it("DNS-1123 label: lower-case alphanumerics and `-`, at most 63", () => {
    judge(
      dns1123LabelProblem,
      ["a", "0", "databases", "team-a-2", "a".repeat(63)],
      ["", "A", "-a", "a-", "a.b", "a_b", "a".repeat(64)],
      /^must be a DNS-1123 label: at most 63 lower-case letters, digits and `-`/,
    );
  });

  it("DNS-1123 subdomain: labels joined by `.`, at most 253 in all", () => {
    const long = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`; // 253
    judge(
      dns1123SubdomainProblem,
      ["a", "grafana-tls", "tls.example.com", long, "x".repeat(100)],
      ["", "a..b", ".a", "a.", "Tls", "a_b", `${long}d`, "a.-b"],
      /^must be a DNS-1123 subdomain: at most 253 /,
    );
  });

  it("qualified name (label and annotation keys): optional subdomain prefix, name of at most 63", () => {
    judge(
      qualifiedNameProblem,
      ["app", "App_Name.v1", "app.kubernetes.io/name", "example.com/A-b", `x/${"n".repeat(63)}`],
      [
        "",
        "/name",
        "a/b/c",
        "Example.com/name",
        "app.kubernetes.io/",
        "-app",
        "app_",
        "bad key",
        "n".repeat(64),
        `${"p".repeat(254)}/n`,
      ],
      /^must be a Kubernetes label key `\[prefix\/\]name`/,
    );
  });

  it("label value: empty or a name part of at most 63", () => {
    judge(
      labelValueProblem,
      ["", "postgresql", "v1.2_3-X", "v".repeat(63)],
      ["-x", "x.", "a/b", "a b", "v".repeat(64)],
      /^must be a Kubernetes label value: empty or at most 63 /,
    );
  });

  it("annotations: keys are qualified names (lower-cased), 256 KiB in all", () => {
    assert.equal(
      annotationsProblem({ "cert-manager.io/cluster-issuer": "letsencrypt" }),
      undefined,
    );
    // Upper-case prefixes are judged lower-cased, as upstream does.
    assert.equal(annotationsProblem({ "Example.COM/Key": "v" }), undefined);
    assert.match(annotationsProblem({ "a/b/c": "v" }) ?? "", /^annotation key "a\/b\/c" must be/);
    // "k" (1 byte) + 262143 bytes = 262144: at the limit; one more byte is over.
    assert.equal(annotationsProblem({ k: "v".repeat(262_143) }), undefined);
    assert.match(
      annotationsProblem({ k: "v".repeat(262_144) }) ?? "",
      /at most 262144 bytes in all \(keys and values\), got 262145$/,
    );
    // Bytes, not characters: "é" is two bytes in UTF-8.
    assert.match(annotationsProblem({ k: "é".repeat(131_072) }) ?? "", /got 262145$/);
  });

  it("IANA_SVC_NAME port names: at most 15, a letter, no `--`, no `-` at either end", () => {
    judge(
      portNameProblem,
      ["http", "http-metrics", "web2", "a", "a23456789012345"],
      ["", "8080", "Metrics", "metrics_port", "a-very-long-port", "-http", "http-", "ht--tp"],
      /^must be an IANA service name: at most 15 /,
    );
  });

  it("ingress class names are DNS-1123 subdomains", () => {
    judge(
      ingressClassNameProblem,
      ["nginx", "alb", "internal.nginx-2"],
      ["Nginx", "nginx_internal", "nginx class", ""],
      /^must name an IngressClass, so it must be a DNS-1123 subdomain/,
    );
  });

  it("ingress hosts: DNS-1123 subdomains, a wildcard only as the first label, no IP", () => {
    judge(
      ingressHostProblem,
      ["grafana.example.com", "localhost", "*.example.com"],
      [
        "Grafana.example.com",
        "a.*.example.com",
        "*example.com",
        "**.example.com",
        "a_b.example.com",
      ],
      /^must be an Ingress host: a DNS-1123 subdomain/,
    );
    assert.equal(ingressHostProblem("10.0.0.1"), "must be a DNS name, not an IP address");
    assert.equal(ingressHostProblem("::1"), "must be a DNS name, not an IP address");
  });
});
