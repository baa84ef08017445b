/**
 * The grammar of a pinned container image reference, `[registry[:port]/]repository:tag`,
 * `…@sha256:<hex>` or both, in one parser: the settings schema accepts what it accepts
 * (`imageOverrides`) and the prod Helm values split images with it. (The policy pack, a separate
 * package published on its own, keeps its own check in policy/images.ts.)
 */

/** A reference split the way charts take it. */
export interface ImageParts {
  readonly registry: string;
  readonly repository: string;
  /** Absent for a digest-only reference. */
  readonly tag?: string;
  /** Hex digest without the `sha256:` prefix; absent for a tag-only reference. */
  readonly sha256?: string;
}

/** Lower-case path components; a registry host may carry a port (`localhost:5000/alloy`). */
const NAME = /^[a-z0-9][a-z0-9._-]*(?::[0-9]+(?=\/))?[a-z0-9._/-]*$/;
/** Docker's tag grammar. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** A sha256 content digest in hex. */
const SHA256 = /^[a-f0-9]{64}$/;
const DIGEST_PREFIX = "@sha256:";

/** The reference's name, tag and digest, or why it is not a pinned reference. */
function split(ref: string): { name: string; tag?: string; sha256?: string } | string {
  const at = ref.indexOf(DIGEST_PREFIX);
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const sha256 = at >= 0 ? ref.slice(at + DIGEST_PREFIX.length) : undefined;
  const colon = name.lastIndexOf(":");
  // A colon before the last '/' belongs to a registry port, not to a tag.
  const hasTag = colon > name.lastIndexOf("/");
  const path = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  const shown = JSON.stringify(ref);
  if (tag === undefined && sha256 === undefined) {
    return `image ${shown} has neither a tag nor a digest; pin one`;
  }
  if (!NAME.test(path))
    return `image ${shown} has an invalid repository name ${JSON.stringify(path)}`;
  if (tag !== undefined && !TAG.test(tag))
    return `image ${shown} has an invalid tag ${JSON.stringify(tag)}`;
  if (sha256 !== undefined && !SHA256.test(sha256)) {
    return `image ${shown} has a malformed digest (want @sha256:<64 lower-case hex digits>)`;
  }
  return {
    name: path,
    ...(tag === undefined ? {} : { tag }),
    ...(sha256 === undefined ? {} : { sha256 }),
  };
}

/** Why `ref` is not an image reference with a tag or a digest, or undefined when it is one. */
export function imageReferenceProblem(ref: string): string | undefined {
  const parts = split(ref);
  return typeof parts === "string" ? parts : undefined;
}

/**
 * Splits a pinned reference into registry, repository, tag and digest; throws when it is not one.
 * A reference without a registry host is a Docker Hub one (`docker.io`, `library/` for single names).
 */
export function parseImage(ref: string): ImageParts {
  const parts = split(ref);
  if (typeof parts === "string") throw new Error(parts);
  const [first, ...rest] = parts.name.split("/");
  const isHost =
    rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  return {
    registry: isHost ? first : "docker.io",
    repository: isHost ? rest.join("/") : rest.length === 0 ? `library/${first}` : parts.name,
    ...(parts.tag === undefined ? {} : { tag: parts.tag }),
    ...(parts.sha256 === undefined ? {} : { sha256: parts.sha256 }),
  };
}
