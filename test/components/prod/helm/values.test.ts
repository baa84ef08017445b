/**
 * What holds for every prod chart's values at once: no secret and no Pulumi Output in them. Each
 * chart's builder has its own test beside this file (kubePrometheusStack, grafana, loki, alloy, …);
 * the check that every key path they set exists in the charts' upstream values.yaml is
 * values.conformance.test.ts (`npm run test:conformance`; it needs the upstream charts).
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { TEST_SECRETS } from "../../../support/harness";
import { alloyOf, kpsOf, lokiOf, settingsVariants } from "../../../support/prodValues";

// ---------------------------------------------------------------------------------------------
// Secrets stay out of the values (the key-existence check is values.conformance.test.ts)
// ---------------------------------------------------------------------------------------------

describe("the Helm values across setting variants", () => {
  it("no value holds a secret or a Pulumi Output (secrets live only in Kubernetes Secrets)", () => {
    const outputs: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (pulumi.Output.isInstance(v)) outputs.push(at);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
      else if (v !== null && typeof v === "object")
        Object.entries(v).forEach(([k, x]) => walk(x, `${at}.${k}`));
    };
    for (const [name, s] of Object.entries(settingsVariants())) {
      for (const [chart, values] of Object.entries({
        kps: kpsOf(s),
        loki: lokiOf(s),
        alloy: alloyOf(s),
      })) {
        walk(values, `${name}:${chart}`);
        const text = JSON.stringify(values);
        for (const [key, secret] of Object.entries(TEST_SECRETS)) {
          assert.ok(!text.includes(secret), `${name}: ${chart} values contain ${key}`);
        }
      }
    }
    assert.deepEqual(outputs, []);
  });
});
