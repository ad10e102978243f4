import { describe, expect, it } from "vitest";
import { parseStatsCsv } from "../../scripts/lib/stats-csv";

// The first columns of haproxy 2.6's `;csv` header, as the stats page prints them.
const HEADER = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg";
const row = (pxname: string, svname: string, status: string, chkdown: string) =>
  [pxname, svname, ...Array(15).fill("0"), status, "60", "1", "0", "0", chkdown, "12"].join(",");

describe("the stats CSV", () => {
  it("yields one row per server with its state and how often it went DOWN, summary rows left out", () => {
    const body = [HEADER, row("web", "FRONTEND", "OPEN", ""), row("servidores", "backend1", "UP", "0"), row("servidores", "backend2", "DOWN", "2"), row("servidores", "BACKEND", "UP", "2"), ""].join("\n");
    expect(parseStatsCsv(body)).toEqual([
      { backend: "servidores", server: "backend1", status: "UP", checkDowns: 0 },
      { backend: "servidores", server: "backend2", status: "DOWN", checkDowns: 2 },
    ]);
  });

  it("finds columns by their header names, so a reordered or longer header still parses", () => {
    const body = ["# status,chkdown,svname,pxname,extra", "UP 1/2,1,backend1,servidores,x"].join("\n");
    expect(parseStatsCsv(body)).toEqual([{ backend: "servidores", server: "backend1", status: "UP 1/2", checkDowns: 1 }]);
  });

  it("names the missing column when the body is not a stats CSV", () => {
    expect(() => parseStatsCsv("<html>login</html>")).toThrow(/no "pxname" column/);
  });
});
