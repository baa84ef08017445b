/**
 * The offline plan of one stack: runs the real program under the mocks (`runner.ts`) with placeholder
 * secrets and gathers what the other modules make of what it registered — the resource tree and
 * counts (`resources.ts`), the rendered files (`files.ts`), the sizing (`sizingReport.ts`) and a
 * monthly cost estimate (`cost.ts`). `run.ts` prints and writes it (`format.ts`, `folder.ts`).
 */
import { localContainers } from "../components/dev/containers";
import { CONTENT_CHECKS } from "../content/checks";
import { parseSettings } from "../settings/parse";
import { EFS_SMALL_SERVICES_BYTES } from "../sizing/sizing";
import { GiB } from "../sizing/units";
import { type CostEstimate, estimateMonthlyCost, PRICES } from "./cost";
import { renderedFiles } from "./files";
import { registeredParentTypes } from "./mocks";
import { countByType, type PlanResource, planResources } from "./resources";
import { type ProgramInput, runProgram, settle } from "./runner";
import { placeholderSecrets, SECRET_MARK } from "./secrets";
import { sizingLines } from "./sizingReport";
import { projectConfig, stackSettingsInput } from "./stackConfig";

export interface StackPlan {
  readonly stack: string;
  readonly environment: string;
  /** Sorted by type, then name. */
  readonly resources: readonly PlanResource[];
  readonly counts: Readonly<Record<string, number>>;
  /** Rendered configuration by path relative to the plan folder. */
  readonly files: Readonly<Record<string, string>>;
  /** What the stack is sized for and what that derives, as printed next to the cost. */
  readonly sizing: readonly string[];
  readonly cost: CostEstimate;
  /** The stack outputs `pulumi stack output` would show; secret ones as `SECRET_MARK`. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** The stack's exported outputs that have a value, secret ones replaced by `SECRET_MARK`. */
export function planOutputs(run: {
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly secretOutputs: readonly string[];
}): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(run.outputs).flatMap(([key, value]) =>
      value === undefined ? [] : [[key, run.secretOutputs.includes(key) ? SECRET_MARK : value]],
    ),
  );
}

/** What to plan a stack with besides its config files. */
export interface PlanOptions {
  /** Config overrides, without the project prefix. @default none */
  readonly config?: ProgramInput["config"];
  /** Secret values. @default placeholders for the secrets the stack needs (`placeholderSecrets`) */
  readonly secrets?: ProgramInput["secrets"];
}

/** The dev uploads without a secret, by path in the container, as `localContainers` describes them. */
function devPublicUploads(
  stack: string,
  secrets: Readonly<Record<string, string>>,
  config: PlanOptions["config"],
): Map<string, string> {
  const settings = parseSettings(stackSettingsInput(stack, config ?? {}, secrets), {
    checks: CONTENT_CHECKS,
  });
  return new Map(
    localContainers(settings).flatMap((c) =>
      c.uploads.flatMap((u) =>
        !u.secret && typeof u.content === "string" ? [[u.file, u.content] as const] : [],
      ),
    ),
  );
}

/** Runs the program for `stack` (placeholder secrets unless `opts.secrets`) and builds its plan. */
export async function planStack(stack: string, opts: PlanOptions = {}): Promise<StackPlan> {
  const secrets = opts.secrets ?? placeholderSecrets(projectConfig(stack));
  const run = await runProgram(stack, { secrets, config: opts.config }).catch(
    async (e: unknown) => {
      // Registrations already under way must land before the next stack's run starts recording.
      await settle();
      throw e;
    },
  );
  const resources = planResources(run.resources, registeredParentTypes());
  const environment = String(run.outputs.environment);
  const settings = parseSettings(stackSettingsInput(stack, opts.config ?? {}, secrets), {
    checks: CONTENT_CHECKS,
  });
  return {
    stack,
    environment,
    resources,
    counts: countByType(resources),
    files: renderedFiles(
      run.resources,
      environment === "dev" ? devPublicUploads(stack, secrets, opts.config) : new Map(),
    ),
    sizing: sizingLines(settings),
    cost: estimateMonthlyCost(environment, resources, PRICES, {
      efsBesidesPrometheusGb: Math.ceil(
        (settings.sizing.loki.storedBytes + EFS_SMALL_SERVICES_BYTES) / GiB,
      ),
    }),
    outputs: planOutputs(run),
  };
}
