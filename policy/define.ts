/**
 * How a policy of this pack is declared: a name, a level, the resource types it inspects (every other
 * type is reported not applicable) and a check of one resource's properties.
 */
import type {
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
} from "@pulumi/policy";
import type { JsonObject } from "./values";

/** A resource policy of this pack, with the resource types it inspects (all others: not applicable). */
export interface MonitoringPolicy extends ResourceValidationPolicy {
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly resourceTypes: readonly string[];
  /**
   * Whether the check reads resource options (`args.opts.protect`). The engine passes them; the
   * test mocks record inputs only, so the program-wide test checks these with recorded options.
   */
  readonly readsOptions: boolean;
  readonly validateResource: ResourceValidation;
}

/** Checks one resource of an inspected type, reporting each violation. */
type Check = (props: JsonObject, args: ResourceValidationArgs, report: ReportViolation) => void;

/** What a policy is declared with (`define` turns it into a `MonitoringPolicy`). */
interface PolicySpec {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly resourceTypes: readonly string[];
  readonly readsOptions?: boolean;
  readonly check: Check;
}

/** A `MonitoringPolicy` from its declaration. */
export function define(spec: PolicySpec): MonitoringPolicy {
  const { check, resourceTypes, readsOptions, ...rest } = spec;
  return {
    ...rest,
    resourceTypes,
    readsOptions: readsOptions ?? false,
    validateResource: (args, report) => {
      if (!resourceTypes.includes(args.type)) {
        return args.notApplicable(`applies to ${resourceTypes.join(", ")}`);
      }
      check(args.props as JsonObject, args, report);
    },
  };
}
