/**
 * The NetworkPolicy builder (components/prod/manifests/networkPolicies.ts) on its own; who may reach
 * which pod through the recorded policies is asserted in objects.test.ts.
 */
import * as assert from "node:assert/strict";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import {
  DEFAULT_INGRESS_NAMESPACE,
  exposedUis,
  NAMESPACE_NAME_LABEL,
  NETWORK_POLICY_NAMES,
  networkPolicyManifests,
} from "../../../../components/prod/manifests/networkPolicies";
import { COMMON_LABELS, NAMESPACES } from "../../../../components/prod/types";

const NONE = { grafana: false, prometheus: false, alertmanager: false } as const;

describe("prod manifests: NetworkPolicies", () => {
  it("exposes Grafana with any ingress, Prometheus and Alertmanager only with their hosts", () => {
    assert.deepEqual(exposedUis(undefined), NONE);
    assert.deepEqual(exposedUis({ className: "nginx", grafanaHost: "g.example.com" }), {
      ...NONE,
      grafana: true,
    });
    assert.deepEqual(
      exposedUis({
        className: "nginx",
        grafanaHost: "g.example.com",
        prometheusHost: "p.example.com",
        alertmanagerHost: "a.example.com",
      }),
      { grafana: true, prometheus: true, alertmanager: true },
    );
  });

  it("builds valid, labelled policies; Grafana's only when it is exposed", () => {
    const opts = { namespace: NAMESPACES.monitoring, agentsNamespace: NAMESPACES.agents };
    const hidden = networkPolicyManifests({ ...opts, exposed: NONE });
    const shown = networkPolicyManifests({ ...opts, exposed: { ...NONE, grafana: true } });
    for (const p of [...hidden, ...shown]) {
      new NetworkPolicy(p).validate();
      assert.equal(p.metadata?.namespace, NAMESPACES.monitoring);
      assert.deepEqual(p.metadata?.labels, COMMON_LABELS);
    }
    const names = (ps: typeof hidden) => ps.map((p) => p.metadata?.name).sort();
    assert.deepEqual(
      names(hidden),
      Object.values(NETWORK_POLICY_NAMES)
        .filter((n) => n !== NETWORK_POLICY_NAMES.grafana)
        .sort(),
    );
    assert.deepEqual(names(shown), Object.values(NETWORK_POLICY_NAMES).sort());
  });

  it("lets the ingress controller in from `ingress-nginx` unless another namespace is given", () => {
    const grafanaFrom = (ingressNamespace?: string) =>
      networkPolicyManifests({
        namespace: NAMESPACES.monitoring,
        agentsNamespace: NAMESPACES.agents,
        exposed: { ...NONE, grafana: true },
        ...(ingressNamespace === undefined ? {} : { ingressNamespace }),
      }).find((p) => p.metadata?.name === NETWORK_POLICY_NAMES.grafana)?.spec?.ingress?.[0]?.from;
    assert.deepEqual(grafanaFrom(), [
      { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: DEFAULT_INGRESS_NAMESPACE } } },
    ]);
    assert.deepEqual(grafanaFrom("traefik"), [
      { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "traefik" } } },
    ]);
  });
});
