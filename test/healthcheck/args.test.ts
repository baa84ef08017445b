/** The health check's command line (`healthcheck/args.ts`). */
import * as assert from "node:assert/strict";
import { parseArgs } from "../../healthcheck/args";
import { thrown, URL_ARGS, URLS } from "../support/healthcheck";

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
});
