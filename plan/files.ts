/**
 * The rendered configuration a reviewer reads in a plan folder, from the recorded inputs: Docker
 * uploads and ECS config objects (`files/`), ECS task definitions, each Helm release's values and
 * every other Kubernetes object as a manifest. Secret values appear only as `SECRET_MARK`.
 */
import * as path from "node:path";
import { Document } from "yaml";
import { isSecretWrapper, type RecordedResource } from "./mocks";
import { byTypeAndName, type PlanResource, TYPES } from "./resources";
import { redact, SECRET_MARK } from "./secrets";
import { isObject, json, text } from "./values";

const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

function yaml(value: unknown, comment?: string): string {
  const doc = new Document(value, YAML_OPTIONS);
  if (comment !== undefined) doc.commentBefore = ` ${comment}`;
  return doc.toString(YAML_OPTIONS);
}

/** A relative path inside the plan folder; refuses anything that would leave it. */
export function inside(...parts: string[]): string {
  const joined = path.posix.normalize(parts.join("/").replace(/\/+/g, "/"));
  if (joined.startsWith("../") || joined.startsWith("/") || joined === "..") {
    throw new Error(`refusing to write outside the plan folder: ${parts.join("/")}`);
  }
  return joined;
}

/**
 * Docker uploads by component: `files/<component>/<path in the container>`. One secret upload makes
 * the engine treat the container's whole `uploads` list as secret; inside such a list a file is
 * shown only when its content is exactly what `publicUploads` says that path holds without secrets.
 */
function dockerFiles(
  r: RecordedResource,
  publicUploads: ReadonlyMap<string, string>,
): [string, string][] {
  const labels = (redact(r.inputs.labels) ?? []) as { label?: string; value?: string }[];
  const component = labels.find((l) => l.label === "monitoring.component")?.value ?? r.name;
  const wrapped = isSecretWrapper(r.inputs.uploads);
  const uploads = ((wrapped ? (r.inputs.uploads as { value: unknown }).value : r.inputs.uploads) ??
    []) as { file?: unknown; content?: unknown }[];
  return uploads.map((u) => {
    const file = String(redact(u.file));
    const content = wrapped
      ? typeof u.content === "string" && u.content === publicUploads.get(file)
        ? u.content
        : SECRET_MARK
      : text(redact(u.content));
    return [inside("files", component, file), content];
  });
}

/** S3 config objects (`<service>/<content hash>/<path>`): `files/<service>/<path>`, without the hash. */
function bucketFile(r: PlanResource): [string, string] {
  const parts = String(r.inputs.key).split("/");
  const rest =
    parts.length > 2 && /^[0-9a-f]{8,}$/.test(parts[1]) ? parts.slice(2) : parts.slice(1);
  return [inside("files", parts[0], ...rest), text(r.inputs.content)];
}

/** A task definition with its container definitions parsed, for reading and diffing. */
function taskDefinitionFile(r: PlanResource): [string, string] {
  const definitions = r.inputs.containerDefinitions;
  let parsed: unknown = definitions;
  if (typeof definitions === "string" && definitions !== SECRET_MARK) {
    try {
      parsed = JSON.parse(definitions);
    } catch {
      parsed = definitions;
    }
  }
  return [
    inside("task-definitions", `${r.name}.json`),
    json({ ...r.inputs, containerDefinitions: parsed }),
  ];
}

function helmValuesFile(r: PlanResource): [string, string] {
  const i = r.inputs;
  const repo = isObject(i.repositoryOpts) ? i.repositoryOpts.repo : undefined;
  const release = text(i.name ?? r.name);
  const comment =
    `${text(i.chart)} ${text(i.version)}${repo === undefined ? "" : ` from ${text(repo)}`}, ` +
    `release ${release} in namespace ${text(i.namespace ?? "default")}`;
  return [inside("helm", `${release}.values.yaml`), yaml(i.values ?? {}, comment)];
}

/** A Kubernetes object as a manifest: `manifests/<Kind>/<namespace>.<name>.yaml`. */
function manifestFile(r: PlanResource, taken: ReadonlySet<string>): [string, string] {
  const { apiVersion, kind, metadata, ...rest } = r.inputs;
  const meta = isObject(metadata) ? metadata : {};
  const kindName = text(kind ?? r.type.split(":").pop());
  const id = `${meta.namespace === undefined ? "" : `${text(meta.namespace)}.`}${text(meta.name ?? r.name)}`;
  let file = inside("manifests", kindName, `${id}.yaml`);
  if (taken.has(file)) file = inside("manifests", kindName, `${r.name}.yaml`);
  return [file, yaml({ apiVersion, kind, metadata, ...rest })];
}

/**
 * The configuration a reviewer reads, by path in the plan folder: the Docker uploads and ECS config
 * objects (`files/`), the ECS task definitions, the Helm values of each release and every other
 * Kubernetes object as a manifest. Secret values appear only as `SECRET_MARK`.
 */
export function renderedFiles(
  recorded: readonly RecordedResource[],
  publicUploads: ReadonlyMap<string, string> = new Map(),
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const raw of [...recorded].sort(byTypeAndName)) {
    const r = { ...raw, inputs: redact(raw.inputs) as Record<string, unknown> };
    if (r.type === TYPES.container) {
      for (const [file, content] of dockerFiles(raw, publicUploads)) files[file] = content;
    } else if (r.type === TYPES.bucketObject) {
      const [file, content] = bucketFile(r);
      files[file] = content;
    } else if (r.type === TYPES.taskDefinition) {
      const [file, content] = taskDefinitionFile(r);
      files[file] = content;
    } else if (r.type === TYPES.helmRelease) {
      const [file, content] = helmValuesFile(r);
      files[file] = content;
    } else if (r.type.startsWith("kubernetes:")) {
      const [file, content] = manifestFile(r, new Set(Object.keys(files)));
      files[file] = content;
    }
  }
  return files;
}
