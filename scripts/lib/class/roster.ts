/** The class roster (CSV: id, name, email, optional allowedCidr), validated with line numbers. */
import { parse } from "csv-parse/sync";
import { parseCidr } from "../../../components/lab/ipv4";

export interface Student {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly allowedCidr?: string;
  /** 1-based line in the CSV file. */
  readonly line: number;
}

export interface RosterProblem {
  readonly line: number;
  readonly message: string;
}

/** Ids become stack names `<prefix>-<id>`: lower-case letters, digits and '-', like a host name. */
const STUDENT_ID = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[A-Za-z]{2,}$/;

export function parseRoster(text: string): { students: Student[]; problems: RosterProblem[] } {
  const problems: RosterProblem[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, trim: true, info: true, comment: "#" }) as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { students: [], problems: [{ line, message: `not valid CSV: ${(error as Error).message}` }] };
  }
  const header = text.split("\n").find((l) => l.trim() && !l.trim().startsWith("#")) ?? "";
  for (const column of ["id", "name", "email"]) {
    if (!header.split(",").map((c) => c.trim()).includes(column)) problems.push({ line: 1, message: `the header has no "${column}" column: the first line must be id,name,email[,allowedCidr]` });
  }
  if (problems.length > 0) return { students: [], problems };
  const students: Student[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const id = record.id ?? "";
    const allowedCidr = record.allowedCidr || undefined;
    if (!STUDENT_ID.test(id)) problems.push({ line, message: `id ${JSON.stringify(id)} cannot name a stack: use 1-32 lower-case letters, digits and '-' (e.g. "ana-garcia")` });
    else if (seen.has(id)) problems.push({ line, message: `id "${id}" is already used on line ${seen.get(id)}: ids must be unique` });
    else seen.set(id, line);
    if (!record.name) problems.push({ line, message: "name is empty" });
    if (!EMAIL.test(record.email ?? "")) problems.push({ line, message: `email ${JSON.stringify(record.email ?? "")} is not an address like ana@example.edu` });
    if (allowedCidr !== undefined) {
      const cidr = parseCidr(allowedCidr);
      if (!cidr) problems.push({ line, message: `allowedCidr ${JSON.stringify(allowedCidr)} is not an IPv4 CIDR block such as 198.51.100.7/32` });
      else if (cidr.network !== cidr.address) problems.push({ line, message: `allowedCidr ${allowedCidr} has host bits set: did you mean ${cidr.networkText}/${cidr.prefix}?` });
    }
    students.push({ id, name: record.name ?? "", email: record.email ?? "", ...(allowedCidr ? { allowedCidr } : {}), line });
  }
  if (students.length === 0 && problems.length === 0) problems.push({ line: 1, message: "the roster lists no students" });
  return { students: problems.length > 0 ? [] : students, problems };
}
