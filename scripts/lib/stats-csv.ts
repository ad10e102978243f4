/**
 * HAProxy's stats CSV (`<stats uri>;csv`), parsed by the names in its `# pxname,svname,…` header
 * rather than by position, so that a column HAProxy adds in a later version cannot shift them.
 */
export interface StatsRow {
  readonly backend: string;
  readonly server: string;
  /** UP, DOWN, "UP 1/2" (going down) …, as on the stats page. */
  readonly status: string;
  /** How many times the server went from UP to DOWN since haproxy started (`chkdown`). */
  readonly checkDowns: number;
}

/** The servers' rows (FRONTEND and BACKEND summary rows left out). */
export function parseStatsCsv(body: string): StatsRow[] {
  const lines = body.split("\n").filter(Boolean);
  const header = (lines.find((line) => line.startsWith("# ")) ?? "").slice(2).split(",");
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`the stats CSV has no "${name}" column (header: ${header.join(",")})`);
    return index;
  };
  const [pxname, svname, status, chkdown] = ["pxname", "svname", "status", "chkdown"].map(column);
  return lines
    .filter((line) => !line.startsWith("#"))
    .map((line) => line.split(","))
    .filter((fields) => fields[svname] !== "FRONTEND" && fields[svname] !== "BACKEND")
    .map((fields) => ({ backend: fields[pxname], server: fields[svname], status: fields[status], checkDowns: Number(fields[chkdown] || 0) }));
}
