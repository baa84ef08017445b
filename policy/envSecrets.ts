/** Policy 7: no secret-looking value in plaintext container environment variables. */
import { define } from "./define";
import { containerDefinitions, containerLabel } from "./ecs";
import { podContainers, WORKLOAD_TYPES } from "./kubernetes";
import { plaintextSecretProblem } from "./secrets";
import { T } from "./types";
import { at, list, text } from "./values";

export const noPlaintextSecrets = define({
  name: "no-plaintext-secrets-in-env",
  description:
    "No secret-looking value in ECS `environment`, Docker `envs` or Kubernetes container `env` values: names with PASSWORD, SECRET, TOKEN, KEY or WEBHOOK, or values such as Slack webhook URLs.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.taskDefinition, T.container, ...WORKLOAD_TYPES],
  check: (props, args, report) => {
    const checkVar = (where: string, name: string, value: unknown, fix: string) => {
      if (typeof value !== "string") return;
      const problem = plaintextSecretProblem(name, value);
      if (problem !== undefined) report(`${where}: ${problem}; ${fix}.`);
    };
    switch (args.type) {
      case T.taskDefinition:
        containerDefinitions(props, report).forEach((c, i) => {
          for (const e of list(c.environment)) {
            checkVar(
              `${containerLabel(c, i)} environment`,
              text(at(e, ["name"])) ?? "",
              at(e, ["value"]),
              "pass it in `secrets` (valueFrom a Secrets Manager ARN)",
            );
          }
        });
        return;
      case T.container:
        for (const e of list(props.envs)) {
          if (typeof e !== "string") continue;
          const eq = e.indexOf("=");
          const [name, value] = eq < 0 ? [e, ""] : [e.slice(0, eq), e.slice(eq + 1)];
          checkVar(
            "envs",
            name,
            value,
            "upload it as a file (mode 0400) and point the `*_FILE` variable at it",
          );
        }
        return;
    }
    for (const c of podContainers(args.type, props)) {
      for (const e of list(c.container.env)) {
        checkVar(
          `${c.where} env`,
          text(at(e, ["name"])) ?? "",
          at(e, ["value"]),
          "use `valueFrom.secretKeyRef` or a mounted Secret",
        );
      }
    }
  },
});
