/**
 * The product's Grafana dashboards: the list every stack provisions (one module each beside this
 * file, built from panels.ts) and the query extraction the tests and checks read them with.
 *
 * Pure module: no Pulumi imports, no I/O. Provisioning code writes each `DashboardFile.model` as
 * `fileName` into Grafana's dashboards directory. Datasources are referenced by the fixed UIDs in
 * `DATASOURCE_UIDS`, scrape jobs by the `job` label values in `SCRAPE_JOBS` and SLO series by the
 * recording-rule names in `SLO_RECORDS`.
 */
import { alertmanagerOverview } from "./alertmanager";
import { logsExplorer } from "./logs";
import { nodeOverview } from "./node";
import type { DashboardFile } from "./panels";
import { prometheusOverview } from "./prometheus";
import { sloErrorBudget } from "./slo";

export { DASHBOARD_TAGS, type DashboardFile } from "./panels";

/** Every dashboard the stack provisions into Grafana. */
export function buildDashboards(): DashboardFile[] {
  return [
    nodeOverview(),
    prometheusOverview(),
    alertmanagerOverview(),
    sloErrorBudget(),
    logsExplorer(),
  ];
}

interface TargetLike {
  readonly expr?: unknown;
  readonly datasource?: { readonly type?: unknown };
}

interface PanelLike {
  readonly title?: unknown;
  readonly datasource?: { readonly type?: unknown };
  readonly targets?: unknown;
  readonly panels?: unknown;
}

/** `value` when it is a string, otherwise "". */
function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * Every query expression in a dashboard model, tagged with its datasource type ("prometheus" |
 * "loki"). Covers panel targets, including panels nested in collapsed rows; template-variable
 * queries (e.g. `label_values(...)`) are not PromQL/LogQL and are not included.
 */
export function dashboardQueries(
  model: object,
): { datasource: string; expr: string; panel: string }[] {
  const queries: { datasource: string; expr: string; panel: string }[] = [];
  const visit = (panels: unknown): void => {
    if (!Array.isArray(panels)) return;
    for (const panel of panels as PanelLike[]) {
      const targets = Array.isArray(panel.targets) ? (panel.targets as TargetLike[]) : [];
      for (const target of targets) {
        if (typeof target.expr !== "string") continue;
        queries.push({
          datasource: text(target.datasource?.type) || text(panel.datasource?.type),
          expr: target.expr,
          panel: text(panel.title),
        });
      }
      visit(panel.panels);
    }
  };
  visit((model as { panels?: unknown }).panels);
  return queries;
}
