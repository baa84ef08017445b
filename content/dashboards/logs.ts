/** The "Logs explorer" dashboard: log volume and log lines from Loki, by job and level. */
import * as common from "@grafana/grafana-foundation-sdk/common";
import { TextBoxVariableBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import * as logs from "@grafana/grafana-foundation-sdk/logs";
import * as units from "@grafana/grafana-foundation-sdk/units";
import {
  type DashboardFile,
  LOKI_DS,
  LOG_WINDOW,
  lokiTarget,
  configure,
  lokiGraph,
  queryVariable,
  assemble,
} from "./panels";

export function logsExplorer(): DashboardFile {
  const stream = `{container=~"$container"}`;
  const searched = `${stream} |= "$search"`;
  const perContainer = (logQuery: string): string =>
    `sum by (container) (count_over_time(${logQuery} [${LOG_WINDOW}]))`;

  return assemble({
    uid: "logs-explorer",
    title: "Logs explorer",
    description: "Container logs from Loki, with per-container log volume and error-line rate.",
    variables: [
      // Loki rejects selectors that can match the empty string, so "All" must be `.+`, not `.*`.
      queryVariable("container", LOKI_DS, "label_values(container)", ".+"),
      new TextBoxVariableBuilder("search")
        .label("Search")
        .description(
          "Case-sensitive text every shown log line must contain; empty shows all lines.",
        )
        .defaultValue(""),
    ],
    sections: [
      {
        panels: [
          lokiGraph({
            title: "Log volume",
            description: "Log lines per container matching the search.",
            unit: units.Short,
            min: 0,
            stackedBars: true,
            series: [{ expr: perContainer(searched), legend: "{{container}}" }],
          }),
          lokiGraph({
            title: "Error lines",
            description:
              "Log lines per container that look like errors (error, panic, fatal, exception).",
            unit: units.Short,
            min: 0,
            stackedBars: true,
            series: [
              {
                expr: perContainer(`${stream} |~ "(?i)(error|panic|fatal|exception)"`),
                legend: "{{container}}",
              },
            ],
          }),
          configure(
            new logs.PanelBuilder(),
            {
              title: "Logs",
              description: "Newest lines first; expand a line for its labels.",
              width: 24,
              height: 18,
            },
            LOKI_DS,
            [lokiTarget({ expr: searched, legend: "" }, 0).maxLines(1000)],
          )
            .showTime(true)
            .showLabels(false)
            .showCommonLabels(false)
            .wrapLogMessage(true)
            .prettifyLogMessage(false)
            .enableLogDetails(true)
            .sortOrder(common.LogsSortOrder.Descending)
            .dedupStrategy(common.LogsDedupStrategy.None),
        ],
      },
    ],
  });
}
