/**
 * Small builders for conditions, so callers write `ifAcl("url_static")` instead of the object.
 * HAProxy has no parentheses and binds AND tighter than OR; these helpers only build what reads
 * unambiguously.
 */
import type { AclTerm, Condition } from "./model";

/** `if <acl> [<acl> …]`: every ACL must match (AND); prefix a name with `!` to negate it. */
export function ifAcl(...acls: readonly string[]): Condition {
  return { op: "if", terms: acls.map(term) };
}

/** `unless <acl> [<acl> …]`: the rule applies unless every ACL matches. */
export function unlessAcl(...acls: readonly string[]): Condition {
  return { op: "unless", terms: acls.map(term) };
}

/** `if <a> || <b> …`: any ACL matches (OR). */
export function anyOf(...acls: readonly string[]): Condition {
  return { op: "if", terms: acls.map((name, index) => ({ ...term(name), ...(index > 0 ? { join: "or" as const } : {}) })) };
}

function term(name: string): AclTerm {
  return name.startsWith("!") ? { acl: name.slice(1), negate: true } : { acl: name };
}
