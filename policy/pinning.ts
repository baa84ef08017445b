/** Policies 5–6: pinned artifacts — every image by tag or digest (not `latest`), every chart by exact version. */
import { define } from "./define";
import { containerDefinitions, containerLabel } from "./ecs";
import { imageProblem } from "./images";
import { HELM_TYPES, podContainers, valuesImages, WORKLOAD_TYPES } from "./kubernetes";
import { T } from "./types";
import { type JsonObject, text } from "./values";

export const imagesPinned = define({
  name: "images-pinned",
  description:
    "Every container image has an explicit tag other than `latest`, or a digest: ECS container definitions, Docker images and containers, Kubernetes pod specs, and image tags set in Helm values.",
  enforcementLevel: "mandatory",
  resourceTypes: [T.taskDefinition, T.remoteImage, T.container, ...WORKLOAD_TYPES, ...HELM_TYPES],
  check: (props, args, report) => {
    const checkRef = (what: string, ref: unknown) => {
      const problem = typeof ref === "string" ? imageProblem(ref) : "no image";
      if (problem !== undefined) report(`${what}: ${problem}.`);
    };
    switch (args.type) {
      case T.taskDefinition:
        containerDefinitions(props, report).forEach((c, i) =>
          checkRef(containerLabel(c, i), c.image),
        );
        return;
      case T.remoteImage:
        checkRef("RemoteImage `name`", props.name);
        return;
      case T.container:
        checkRef("Container `image`", props.image);
        return;
    }
    if ((HELM_TYPES as readonly string[]).includes(args.type)) {
      for (const image of valuesImages(props.values, ["values"])) {
        if (image.ref !== undefined) checkRef(image.where, image.ref);
        else if (image.tag?.toLowerCase() === "latest") {
          report(
            `${image.where}: tag "latest" is a moving tag; pin a version or leave the chart's.`,
          );
        }
      }
      return;
    }
    for (const c of podContainers(args.type, props)) checkRef(c.where, c.container.image);
  },
});

/** An exact chart version: `1.2.3`, `v1.2.3`, `1.2.3-rc.1`; no ranges, no `x`. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** A chart from a local folder or archive: its version is whatever the commit holds. */
const isLocalChart = (props: JsonObject) =>
  text(props.path) !== undefined || /^(?:\.{0,2}\/|file:\/\/)/.test(text(props.chart) ?? "");

export const helmVersionsPinned = define({
  name: "helm-chart-versions-pinned",
  description:
    "Helm releases and charts from a repository name an exact chart `version` (no range, no latest).",
  enforcementLevel: "mandatory",
  resourceTypes: [...HELM_TYPES],
  check: (props, args, report) => {
    if (isLocalChart(props)) return args.notApplicable("a local chart is pinned by the commit");
    const version = text(props.version);
    if (version === undefined || version === "") {
      report(
        `chart "${text(props.chart) ?? "?"}" without \`version\`: Helm would take the latest.`,
      );
    } else if (!EXACT_VERSION.test(version)) {
      report(`chart "${text(props.chart) ?? "?"}" version "${version}" is not an exact version.`);
    }
  },
});
