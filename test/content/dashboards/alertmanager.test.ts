/** The "Alertmanager overview" dashboard (content/dashboards/alertmanager.ts): its queries and variables. */
import assert from "node:assert/strict";
import { buildDashboards, dashboardQueries } from "../../../content/dashboards";
import { SCRAPE_JOBS } from "../../../catalog/names";
import { dashboardLookup, selectorsIn } from "../../support/dashboards";

describe("dashboards", () => {
  const { byUid, exprsOf, variableOf } = dashboardLookup(buildDashboards());

  describe("Alertmanager overview", () => {
    const queries = dashboardQueries(byUid("alertmanager-overview").model);

    it("selects every series on the alertmanager job and the instance variable", () => {
      for (const query of queries) {
        const selectors = selectorsIn(query.expr);
        assert.ok(selectors.length > 0, `"${query.panel}" selects nothing: ${query.expr}`);
        for (const selector of selectors) {
          assert.ok(
            selector.matchers.includes(`job="${SCRAPE_JOBS.alertmanager}"`),
            `"${query.panel}": ${selector.text}`,
          );
          assert.ok(
            selector.matchers.includes('instance=~"$instance"'),
            `"${query.panel}": ${selector.text}`,
          );
        }
      }
      const metrics = new Set(queries.flatMap((q) => selectorsIn(q.expr).map((s) => s.metric)));
      for (const metric of [
        "up",
        "alertmanager_config_last_reload_successful",
        "alertmanager_alerts",
        "alertmanager_notifications_total",
        "alertmanager_notifications_failed_total",
        "alertmanager_notification_latency_seconds_bucket",
        "alertmanager_silences",
        "alertmanager_cluster_members",
        "alertmanager_alerts_received_total",
        "alertmanager_alerts_invalid_total",
      ]) {
        assert.ok(metrics.has(metric), `alertmanager overview never queries ${metric}`);
      }
    });

    it("has an instance variable from the alertmanager job's up series", () => {
      const instance = variableOf("alertmanager-overview", "instance");
      assert.equal(instance.query, `label_values(up{job="${SCRAPE_JOBS.alertmanager}"}, instance)`);
      assert.equal(instance.multi, true);
      assert.equal(instance.includeAll, true);
    });

    it("splits notifications and their p99 latency by integration", () => {
      const [sent, failed] = exprsOf("alertmanager-overview", "Notifications sent vs failed");
      assert.match(sent, /^sum by \(integration\) \(rate\(alertmanager_notifications_total\{/);
      assert.match(
        failed,
        /^sum by \(integration\) \(rate\(alertmanager_notifications_failed_total\{/,
      );
      const [latency] = exprsOf("alertmanager-overview", "Notification latency (p99)");
      assert.match(
        latency,
        /^histogram_quantile\(0\.99, sum by \(integration, le\) \(rate\(alertmanager_notification_latency_seconds_bucket\{[^}]*\}\[\$__rate_interval\]\)\)\)$/,
      );
      for (const query of queries.filter((q) => q.expr.includes("rate("))) {
        assert.match(query.expr, /\[\$__rate_interval\]/, `"${query.panel}"`);
      }
    });

    it("shows active and suppressed alerts from the alert state label", () => {
      const [active] = exprsOf("alertmanager-overview", "Active alerts");
      const [suppressed] = exprsOf("alertmanager-overview", "Suppressed alerts");
      assert.ok(selectorsIn(active)[0].matchers.includes('state="active"'), active);
      assert.ok(selectorsIn(suppressed)[0].matchers.includes('state="suppressed"'), suppressed);
    });
  });
});
