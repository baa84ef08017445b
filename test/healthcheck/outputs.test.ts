/** The stack outputs the health check probes (`healthcheck/outputs.ts`). */
import * as assert from "node:assert/strict";
import {
  outputsFromPulumi,
  parsePortForward,
  portForwardAdvice,
  targetsFromOutputs,
} from "../../healthcheck/outputs";
import { PROD_OUTPUTS, thrown } from "../support/healthcheck";

describe("health check: arguments and stack outputs", () => {
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
