/** What a Helm values builder returns: plain JSON data (no Pulumi Outputs, no secrets). */

/** A value Helm accepts: JSON data. */
export type HelmValue =
  string | number | boolean | null | readonly HelmValue[] | { readonly [key: string]: HelmValue };

/** A chart's values (the top level is always a map). */
export type HelmValues = { readonly [key: string]: HelmValue };
