/**
 * Live progress, one line per student. On a terminal the lines are redrawn in place; elsewhere
 * (CI logs) each change is one plain line.
 */
import type { StudentState } from "./orchestrate";

export class ProgressDisplay {
  private readonly states = new Map<string, { state: StudentState; detail?: string }>();
  private drawn = 0;

  constructor(
    private readonly ids: readonly string[],
    private readonly stream: NodeJS.WriteStream = process.stdout,
  ) {
    for (const id of ids) this.states.set(id, { state: "queued" });
  }

  private get tty(): boolean {
    return this.stream.isTTY === true && process.env.CI !== "true";
  }

  update(id: string, state: StudentState, detail?: string): void {
    this.states.set(id, { state, ...(detail ? { detail } : {}) });
    if (this.tty) this.redraw();
    else this.stream.write(`${new Date().toISOString().slice(11, 19)} ${id.padEnd(20)} ${state}${detail ? `: ${detail}` : ""}\n`);
  }

  private redraw(): void {
    if (this.drawn > 0) this.stream.write(`\x1b[${this.drawn}A`);
    const width = Math.max(...this.ids.map((id) => id.length));
    for (const id of this.ids) {
      const { state, detail } = this.states.get(id)!;
      this.stream.write(`\x1b[2K${id.padEnd(width)}  ${state}${detail ? `  ${detail.slice(0, 80)}` : ""}\n`);
    }
    this.drawn = this.ids.length;
  }
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd()).join("\n");
}
