/** Policy 9: Kubernetes containers have CPU and memory limits and run as non-root. */
import { define } from "./define";
import {
  CHART_COMPONENTS,
  chartComponentProblems,
  chartName,
  effectiveUser,
  HELM_TYPES,
  limitsProblem,
  podContainers,
  rootProblem,
  WORKLOAD_TYPES,
} from "./kubernetes";
import { isObject, text } from "./values";

export const k8sContainersLimitedNonRoot = define({
  name: "k8s-containers-limited-non-root",
  description:
    "Kubernetes containers have CPU and memory limits and run as non-root: every container of workloads the program creates, and the main components of the Helm charts it installs (from the values it sets).",
  enforcementLevel: "mandatory",
  resourceTypes: [...WORKLOAD_TYPES, ...HELM_TYPES],
  check: (props, args, report) => {
    if ((HELM_TYPES as readonly string[]).includes(args.type)) {
      const chart = chartName(props) ?? "";
      const components = CHART_COMPONENTS[chart];
      if (components === undefined) {
        return args.notApplicable(`no component table for chart "${chart}" (see CHART_COMPONENTS)`);
      }
      const values = isObject(props.values) ? props.values : {};
      for (const c of components) {
        if (c.enabled !== undefined && !c.enabled(values)) continue;
        for (const problem of chartComponentProblems(values, c)) report(`${problem}.`);
      }
      return;
    }
    for (const { where, container, podSecurityContext } of podContainers(args.type, props)) {
      const label = `${where} (${text(container.name) ?? "unnamed"})`;
      const limits = limitsProblem(container.resources);
      if (limits !== undefined) report(`${label}: ${limits}; set resources.limits.`);
      const root = rootProblem(effectiveUser(container, podSecurityContext));
      if (root !== undefined) report(`${label}: ${root}.`);
    }
  },
});
