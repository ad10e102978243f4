/**
 * Applies a cloud-config's write_files under a directory root, as cloud-init would on a VM
 * (the one module of components/cloud-init that does I/O). Used by the local lab and the tests.
 *
 * Semantics follow cloud-init 22.4's cc_write_files:
 * - entries without `defer` are written first (init stage), deferred ones after (final stage),
 *   each group in list order;
 * - the mode is `permissions` (default 0644), set with chmod after writing, so the umask does not
 *   matter; `append: true` appends instead of replacing;
 * - parent directories are created as needed.
 * Ownership: cloud-init chowns to `owner` (default root:root). Here that happens only when the
 * process runs as root (or `chown: true`); otherwise the owner stays recorded in the config and the
 * files belong to the current user, which is what a non-root local lab needs.
 *
 * Contents are the model's plain bytes. To apply what a VM really receives, parse its user-data
 * first: `applyWriteFiles(parseUserData(userData), root)` decodes b64/gz+b64 exactly as cloud-init.
 */
import { appendFile, chmod, chown, lstat, mkdir, readFile, realpath, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { contentBytes, DEFAULT_OWNER, DEFAULT_PERMISSIONS, parsePermissions } from "./encoding";
import type { CloudConfig, WriteFile } from "./model";

export interface ApplyWriteFilesOptions {
  /** chown to each entry's owner. Default: only when running as root. */
  readonly chown?: boolean;
}

/**
 * Where a write_files path lands under `root`. Refuses relative paths and `..` segments, which
 * could otherwise write outside the root.
 */
export function resolveUnderRoot(root: string, path: string): string {
  if (!path.startsWith("/")) throw new Error(`write_files path ${JSON.stringify(path)} is not absolute; cloud-init paths start with "/".`);
  if (path.split("/").includes("..") || path.includes("\0")) {
    throw new Error(`write_files path ${JSON.stringify(path)} contains '..' or NUL: refusing to write outside ${root}.`);
  }
  const base = resolve(root);
  const target = join(base, path);
  if (target !== base && !target.startsWith(base + sep)) throw new Error(`write_files path ${JSON.stringify(path)} resolves outside ${root}.`);
  return target;
}

async function idsByName(file: string): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const line of (await readFile(file, "utf8")).split("\n")) {
    const [name, , id] = line.split(":");
    if (name && id !== undefined && /^\d+$/.test(id)) ids.set(name, Number(id));
  }
  return ids;
}

async function ownerIds(owner: string, path: string): Promise<{ uid: number; gid: number }> {
  const [userName, groupName] = owner.split(":");
  const users = await idsByName("/etc/passwd");
  const groups = await idsByName("/etc/group");
  const uid = users.get(userName);
  // cloud-init's extract_usergroup: a bare "user" means group = user.
  const gid = groups.get(groupName ?? userName);
  if (uid === undefined || gid === undefined) {
    throw new Error(`write_files ${path}: owner ${owner} does not exist on this machine; create the user/group (install the package that does), or run without root so files are not chowned.`);
  }
  return { uid, gid };
}

/** Refuses to write through a symlink that leads out of the root (a planted link would escape it). */
async function assertInsideRoot(root: string, target: string): Promise<void> {
  const realRoot = await realpath(root);
  const realParent = await realpath(dirname(target));
  if (realParent !== realRoot && !realParent.startsWith(realRoot + sep)) {
    throw new Error(`write_files ${target}: its directory resolves to ${realParent}, outside ${realRoot} (a symlink?); refusing to write.`);
  }
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new Error(`write_files ${target} is a symlink; refusing to write through it.`);
}

/** cloud-init's order: non-deferred entries, then deferred ones. */
export function writeOrder(files: readonly WriteFile[]): WriteFile[] {
  return [...files.filter((file) => !file.defer), ...files.filter((file) => file.defer)];
}

/** Writes every write_files entry under `root`; returns the written paths (under root), in write order. */
export async function applyWriteFiles(config: CloudConfig, root: string, options: ApplyWriteFilesOptions = {}): Promise<string[]> {
  const doChown = options.chown ?? process.getuid?.() === 0;
  await mkdir(root, { recursive: true });
  const written: string[] = [];
  for (const file of writeOrder(config.write_files ?? [])) {
    const target = resolveUnderRoot(root, file.path);
    const permissions = file.permissions ?? DEFAULT_PERMISSIONS;
    const mode = parsePermissions(permissions);
    if (mode === undefined) throw new Error(`write_files ${file.path}: permissions ${JSON.stringify(permissions)} is not an octal mode like "0644".`);
    await mkdir(dirname(target), { recursive: true });
    await assertInsideRoot(root, target);
    const bytes = contentBytes(file.content);
    if (file.append) await appendFile(target, bytes);
    else await writeFile(target, bytes);
    await chmod(target, mode);
    if (doChown) {
      const { uid, gid } = await ownerIds(file.owner ?? DEFAULT_OWNER, file.path);
      await chown(target, uid, gid);
    }
    written.push(target);
  }
  return written;
}
