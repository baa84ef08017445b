/**
 * Image references as the charts take them: kube-prometheus-stack and grafana want a bare `sha`,
 * node-exporter, Loki and Alloy a `digest: sha256:<hex>`. The splitting is catalog/images.ts'.
 */
import { parseImage } from "../../../catalog/images";
import type { HelmValues } from "./types";

/**
 * kube-prometheus-stack's and the grafana chart's image keys (`sha` is the bare hex digest). Both
 * keys are always set so that the chart's default tag (e.g. Prometheus' `-distroless` one) never
 * mixes with an override.
 */
export function shaImage(ref: string): HelmValues {
  const image = parseImage(ref);
  return {
    registry: image.registry,
    repository: image.repository,
    tag: image.tag ?? "",
    sha: image.sha256 ?? "",
  };
}

/** Image keys of charts that take `digest: sha256:<hex>` (node-exporter, Loki, Alloy). */
export function digestImage(ref: string): HelmValues {
  const image = parseImage(ref);
  return {
    registry: image.registry,
    repository: image.repository,
    ...(image.tag === undefined ? {} : { tag: image.tag }),
    ...(image.sha256 === undefined ? {} : { digest: `sha256:${image.sha256}` }),
  };
}
