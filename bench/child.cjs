// One measured process of the benchmark (spawned by bench/run.cjs; needs `tsc -p tsconfig.build.json`).
//   node bench/child.cjs stack <dev|staging|prod> [record.json]
//       evaluates the compiled program (bin/index.js) with the compiled program runner
//       (bin/plan/runner.js: the mocks the plan and the tests use) and the stack's real config; with a
//       file argument, also writes the registered resources there
//   node bench/child.cjs floor <n>
//       the floor: loads only @pulumi/pulumi and registers n plain resources under mocks
//   node bench/child.cjs replay <record.json>
//       the typed floor: registers the recorded resources again, each with its SDK class (same type,
//       name and inputs) and nothing else of the program — what any program registering them pays
// Every mode waits for the registrations as plan/runner.ts does. At exit the process writes one JSON
// object to fd 3: resources registered, maxRSS, CPU time, loaded modules, error.
const fs = require("node:fs");
const path = require("node:path");
const { setTimeout: sleep } = require("node:timers/promises");

const [mode, arg, recordFile] = process.argv.slice(2);
const report = { resources: 0, error: null };

process.on("exit", () => {
  const usage = process.resourceUsage();
  const modules = Object.keys(require.cache);
  const packages = {};
  for (const id of modules) {
    const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id);
    const name = match ? match[1] : "(own code)";
    packages[name] = (packages[name] ?? 0) + 1;
  }
  const root = (pkg) => modules.some((m) => m.endsWith(`node_modules/@pulumi/${pkg}/index.js`));
  Object.assign(report, {
    maxRssKiB: usage.maxRSS,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    modules: modules.length,
    packages,
    awsRootLoaded: root("aws"),
    kubernetesRootLoaded: root("kubernetes"),
  });
  fs.writeSync(3, JSON.stringify(report));
});

const fail = (err) => {
  report.error = require("node:util").inspect(err);
  process.exitCode = 1;
};

/** Plain mocks like plan/mocks.ts's: every resource's state is its inputs. */
function plainMocks(pulumi) {
  let registered = 0;
  const mocks = {
    newResource: (args) => {
      registered++;
      return { id: `${args.name}-id`, state: { ...args.inputs } };
    },
    call: (args) => args.inputs,
  };
  // Waits as plan/runner.ts does: until the registration count is stable for five turns.
  const settle = async () => {
    let last = -1;
    let stable = 0;
    while (stable < 5) {
      stable = last === registered ? stable + 1 : 0;
      last = registered;
      await sleep(1);
    }
    return registered;
  };
  return pulumi.runtime.setMocks(mocks, "bench", "floor", false).then(() => settle);
}

/** Kubernetes type tokens' API groups → module folders of @pulumi/kubernetes. */
const K8S_GROUPS = {
  "core/v1": "core/v1",
  "helm.sh/v3": "helm/v3",
  "networking.k8s.io/v1": "networking/v1",
  "storage.k8s.io/v1": "storage/v1",
};

/** The SDK class of a recorded type token, or undefined (components, custom resources). */
function sdkClass(type) {
  const [pkg, module, name] = type.split(":");
  const file = name === undefined ? "" : name[0].toLowerCase() + name.slice(1);
  if (type === "pulumi:providers:kubernetes")
    return require("@pulumi/kubernetes/provider").Provider;
  if (pkg === "aws" || pkg === "docker") {
    const folder = module.split("/")[0];
    return require(`@pulumi/${pkg}/${folder === "index" ? "" : `${folder}/`}${file}`)[name];
  }
  if (pkg === "kubernetes") {
    const folder = K8S_GROUPS[module];
    if (folder !== undefined) return require(`@pulumi/kubernetes/${folder}/${file}`)[name];
    const { CustomResource } = require("@pulumi/kubernetes/apiextensions/customResource");
    return CustomResource;
  }
  return undefined;
}

if (mode === "stack") {
  const plan = path.join(__dirname, "..", "bin", "plan");
  const { runProgram } = require(path.join(plan, "runner.js"));
  const { placeholder } = require(path.join(plan, "secrets.js"));
  const secrets = (keys) => Object.fromEntries(keys.map((k) => [k, placeholder(k)]));
  // dev has no SMTP settings: only the required secret. staging and prod turn every receiver on:
  // Slack, PagerDuty, e-mail (their stack files carry the SMTP settings) and the heartbeat, whose
  // token is rejected without its URL. Placeholders pass each secret's format check.
  const options =
    arg === "dev"
      ? { secrets: secrets(["grafanaAdminPassword"]) }
      : {
          secrets: secrets([
            "grafanaAdminPassword",
            "slackWebhookUrl",
            "pagerdutyRoutingKey",
            "smtpPassword",
            "heartbeatToken",
          ]),
          config: { heartbeatUrl: "https://placeholder.invalid/heartbeat" },
        };
  runProgram(arg, options).then((run) => {
    report.resources = run.resources.length;
    if (recordFile !== undefined) fs.writeFileSync(recordFile, JSON.stringify(run.resources));
  }, fail);
} else if (mode === "floor") {
  const pulumi = require("@pulumi/pulumi");
  plainMocks(pulumi)
    .then((settle) => {
      const parent = new pulumi.ComponentResource("bench:index:Root", "root");
      for (let i = 1; i < Number(arg); i++) {
        new pulumi.CustomResource("bench:index:Plain", `plain-${i}`, {}, { parent });
      }
      return settle();
    })
    .then((count) => {
      report.resources = count;
    }, fail);
} else if (mode === "replay") {
  const recorded = JSON.parse(fs.readFileSync(arg, "utf8"));
  const pulumi = require("@pulumi/pulumi");
  // The runner's mocks record secrets as the SDK serializes them (wrapper objects): secret Outputs again.
  const revive = (v) => {
    if (typeof v !== "object" || v === null) return v;
    if (v[pulumi.runtime.specialSigKey] !== undefined) return pulumi.secret(revive(v.value));
    if (Array.isArray(v)) return v.map(revive);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  };
  plainMocks(pulumi)
    .then((settle) => {
      for (const { type, name, inputs } of recorded) {
        const Class = sdkClass(type);
        // The program's own components register no inputs.
        if (Class === undefined) new pulumi.ComponentResource(type, name);
        else new Class(name, revive(inputs));
      }
      return settle();
    })
    .then((count) => {
      report.resources = count;
    }, fail);
} else {
  fail(
    new Error("usage: node bench/child.cjs stack <name> [record] | floor <n> | replay <record>"),
  );
}
