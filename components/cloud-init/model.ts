/**
 * A typed model of the parts of cloud-config (cloud-init's YAML user-data) the lab uses.
 * Field names are cloud-init's own keys, so its documentation applies as is.
 * Plain data, no I/O, no Pulumi.
 */

/** A file written by the `write_files` module. */
export interface WriteFile {
  readonly path: string;
  /**
   * The file's bytes. Text content is written as is; binary content (a PNG) and large files are
   * encoded by the renderer (`b64` or `gz+b64`), so the model always holds the plain bytes.
   */
  readonly content: string | Uint8Array;
  /** Octal string, e.g. `"0644"`. */
  readonly permissions?: string;
  /** `user:group`, e.g. `"root:root"`. */
  readonly owner?: string;
  /**
   * Encoding to use in the rendered YAML. Omit to let the renderer choose (plain text when it can,
   * `b64` for binary, `gz+b64` when the host's user-data would otherwise exceed 16 KiB).
   */
  readonly encoding?: "text/plain" | "b64" | "gz+b64";
  /** Write in the final stage, after packages are installed (for files under /etc/haproxy …). */
  readonly defer?: boolean;
  readonly append?: boolean;
}

export interface CloudUser {
  readonly name: string;
  readonly groups?: readonly string[];
  readonly sudo?: string;
  readonly shell?: string;
  readonly ssh_authorized_keys?: readonly string[];
  readonly lock_passwd?: boolean;
}

/** A command as an argv array (no shell parsing), or a `["sh", "-c", script]` where a shell is needed. */
export type Command = readonly string[];

export interface CloudConfig {
  /** The VM's host name (`backend1`), so a student's prompt matches the seed's machines. */
  readonly hostname?: string;
  /** `true`: cloud-init maps the host name to 127.0.1.1 in /etc/hosts (no "unable to resolve host"). */
  readonly manage_etc_hosts?: boolean | "localhost";
  readonly package_update?: boolean;
  readonly package_upgrade?: boolean;
  readonly packages?: readonly string[];
  readonly write_files?: readonly WriteFile[];
  readonly bootcmd?: readonly Command[];
  readonly runcmd?: readonly Command[];
  /** `"default"` keeps the image's default user (admin on Debian). */
  readonly users?: readonly ("default" | CloudUser)[];
  readonly ssh_authorized_keys?: readonly string[];
  readonly final_message?: string;
}
