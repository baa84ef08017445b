/** Whether a container image reference is pinned: an explicit tag other than `latest`, or a digest. */

/** A content digest (`@sha256:` and 64 hex digits). */
const DIGEST = /@sha256:[0-9a-f]{64}$/;
/** A local image ID as Docker reports it (`docker.RemoteImage.imageId`), full or short. */
const IMAGE_ID = /^sha256:[0-9a-f]{12,64}$/;
/** Docker's tag grammar. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Why `ref` is not pinned, or undefined when it is. Pinned: `repo@sha256:<digest>` (with or without
 * a tag), an image ID `sha256:<hex>`, or `repo:<tag>` with a tag other than `latest`.
 */
export function imageProblem(ref: string): string | undefined {
  const trimmed = ref.trim();
  if (trimmed === "") return "the image is empty";
  if (DIGEST.test(trimmed) || IMAGE_ID.test(trimmed)) return undefined;
  if (trimmed.includes("@")) return `image "${ref}" has a malformed digest (want @sha256:<64 hex>)`;
  const lastSlash = trimmed.lastIndexOf("/");
  const colon = trimmed.lastIndexOf(":");
  // A colon before the last slash belongs to a registry port (`registry:5000/repo`), not a tag.
  if (colon <= lastSlash) return `image "${ref}" has no tag: pin a version tag or a digest`;
  const tag = trimmed.slice(colon + 1);
  if (!TAG.test(tag)) return `image "${ref}" has an invalid tag "${tag}"`;
  if (tag.toLowerCase() === "latest") {
    return `image "${ref}" uses the moving tag "latest": pin a version tag or a digest`;
  }
  return undefined;
}
