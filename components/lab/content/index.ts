/**
 * Loads the lab's real files from this directory. The one place in components/lab that reads the
 * disk, so roles.ts stays pure: it receives the content as data.
 *
 * Text files are read as UTF-8 strings, images as bytes; every file is read once per process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LabContent } from "../roles";

/** This directory: prueba.php, sesiones.php, index.html, static.html, haproxy-lab.conf, haproxy-apply.sh, logo-med.png/.gif. */
export const LAB_CONTENT_DIR = __dirname;

/** File names in LAB_CONTENT_DIR, by LabContent field. */
export const LAB_CONTENT_FILES: Readonly<Record<keyof LabContent, string>> = {
  pruebaPhp: "prueba.php",
  sesionesPhp: "sesiones.php",
  indexHtml: "index.html",
  staticHtml: "static.html",
  apacheConf: "haproxy-lab.conf",
  applyScript: "haproxy-apply.sh",
  logoPng: "logo-med.png",
  logoGif: "logo-med.gif",
};

/** The validate-and-reload script's path in the repo (the local lab runs this very file). */
export const APPLY_SCRIPT_PATH = join(LAB_CONTENT_DIR, LAB_CONTENT_FILES.applyScript);

let cached: LabContent | undefined;

export function loadLabContent(): LabContent {
  if (cached) return cached;
  const text = (name: string): string => readFileSync(join(LAB_CONTENT_DIR, name), "utf8");
  const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(join(LAB_CONTENT_DIR, name)));
  cached = {
    pruebaPhp: text(LAB_CONTENT_FILES.pruebaPhp),
    sesionesPhp: text(LAB_CONTENT_FILES.sesionesPhp),
    indexHtml: text(LAB_CONTENT_FILES.indexHtml),
    staticHtml: text(LAB_CONTENT_FILES.staticHtml),
    apacheConf: text(LAB_CONTENT_FILES.apacheConf),
    applyScript: text(LAB_CONTENT_FILES.applyScript),
    logoPng: bytes(LAB_CONTENT_FILES.logoPng),
    logoGif: bytes(LAB_CONTENT_FILES.logoGif),
  };
  return cached;
}
