// Builds static/build/bootstrap.css and bootstrap.rtl.css from assets/bootstrap.scss, the way Bootstrap
// builds its own dist/ (Dart Sass, then RTLCSS for right to left), minus the components the portal does
// not use. Run by `make install` (the Makefile's static/build target) and by the Dockerfile.
//
// RTLCSS reads Bootstrap's /* rtl:... */ directives, which only the expanded output keeps; so the
// expanded CSS is flipped first and both directions are then minified by Sass itself (a plain-CSS
// input compiled with style "compressed"), which needs no minifier of its own.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import rtlcss from "rtlcss";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const quiet = {
  quietDeps: true,
  // Bootstrap 5.3's Sass still uses @import and the global functions; Dart Sass warns about both.
  silenceDeprecations: ["import", "global-builtin", "color-functions", "if-function"],
};

const expanded = sass.compile(join(root, "assets", "bootstrap.scss"), {
  ...quiet,
  style: "expanded",
  loadPaths: [join(root, "node_modules", "bootstrap", "scss")],
}).css;
const minify = (css) => sass.compileString(css, { ...quiet, syntax: "css", style: "compressed" }).css;

mkdirSync(out, { recursive: true });
const files = { "bootstrap.css": minify(expanded), "bootstrap.rtl.css": minify(rtlcss.process(expanded)) };
for (const [name, css] of Object.entries(files)) {
  writeFileSync(join(out, name), `${css}\n`);
  console.log(`static/build/${name}: ${Buffer.byteLength(css)} bytes`);
}
