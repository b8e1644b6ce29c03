// Builds static/dist from the npm packages: GOV.UK Frontend CSS (system font, no GDS Transport),
// GOV.UK Frontend JS, htmx and our own small scripts. Run by `make assets`; static/dist is not in git.
import { compile } from "sass";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";

const out = "static/dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = compile("static/src/app.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/app.css`, css.css);

cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk-frontend.min.js`);
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/htmx.min.js`);
cpSync("node_modules/govuk-frontend/dist/govuk/assets/images", `${out}/images`, { recursive: true });
cpSync("static/src/app.js", `${out}/app.js`);
cpSync("static/src/body.js", `${out}/body.js`);
console.log("assets built into", out);
