#!/usr/bin/env bash
# Builds GOV.UK Frontend (PEISC brand) into ../wwwroot/lib/govuk/.
#
#   peisc.css              compiled from src/peisc.scss (compressed, no source map)
#   govuk-frontend.min.js  GOV.UK Frontend ES module (exports initAll)
#   assets/                non-GOV.UK-branded images only (none of the crown,
#                          crest, logotype, GOV.UK favicons/icons) and NO fonts
#   LICENSE.txt            GOV.UK Frontend's MIT licence
#
# Needs node and npm (npm registry only). Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")"

OUT=../wwwroot/lib/govuk
PKG=node_modules/govuk-frontend
DIST=$PKG/dist/govuk

# Reproducible install from package-lock.json. No install scripts are needed:
# sass is pure JS (its optional native file watcher is only for --watch).
npm ci --ignore-scripts --no-audit --no-fund

rm -rf "$OUT"
mkdir -p "$OUT/assets"

# --- CSS -------------------------------------------------------------------
npx --no-install sass \
  --style=compressed \
  --no-source-map \
  --pkg-importer=node \
  --load-path=node_modules \
  --quiet-deps \
  src/peisc.scss "$OUT/peisc.css"

# --- JavaScript (ES module) -----------------------------------------------
cp "$DIST/govuk-frontend.min.js" "$OUT/govuk-frontend.min.js"
if [ -f "$DIST/govuk-frontend.min.js.map" ]; then
  cp "$DIST/govuk-frontend.min.js.map" "$OUT/govuk-frontend.min.js.map"
fi

# --- SignalR client (live workshops) ------------------------------------------
# Served from wwwroot (no CDN); its licence header (MIT) is kept in the minified file.
mkdir -p ../wwwroot/lib/signalr
cp node_modules/@microsoft/signalr/dist/browser/signalr.min.js ../wwwroot/lib/signalr/signalr.min.js
cp licenses/signalr-LICENSE.txt ../wwwroot/lib/signalr/LICENSE.txt

# --- Images ----------------------------------------------------------------
# Copy only images that do not carry GOV.UK / Crown branding. Everything GOV.UK
# Frontend 6.6.0 ships in assets/images is crown-branded (favicons, govuk-icon-*,
# the crest, the OpenGraph image), so today nothing is copied; the filter stays
# so that a future upgrade cannot sneak a crown in. Fonts are never copied.
if [ -d "$DIST/assets/images" ]; then
  while IFS= read -r -d '' img; do
    name=$(basename "$img")
    lower=${name,,}
    case "$lower" in
      *crest* | *crown* | *logotype* | govuk-icon* | favicon* | *opengraph* | *govuk*)
        echo "build.sh: skipping GOV.UK-branded image $name"
        continue
        ;;
    esac
    mkdir -p "$OUT/assets/images"
    cp "$img" "$OUT/assets/images/$name"
  done < <(find "$DIST/assets/images" -maxdepth 1 -type f -print0)
fi

# GOV.UK's manifest.json lists only crown icons, so write our own manifest with
# the icons that survived the filter above plus our own /favicon.svg.
if [ -f "$DIST/assets/manifest.json" ]; then
  node -e '
    const fs = require("fs");
    const path = require("path");
    const [src, out] = process.argv.slice(1);
    const m = JSON.parse(fs.readFileSync(src, "utf8"));
    const icons = (m.icons || []).filter(i => fs.existsSync(path.join(path.dirname(out), i.src)));
    icons.push({ src: "/favicon.svg", type: "image/svg+xml", sizes: "any", purpose: "any" });
    const manifest = {
      name: "PEISC: Promoting Ethical Innovation in Social Care",
      short_name: "PEISC",
      theme_color: "#1d5e6b",
      background_color: "#ffffff",
      icons
    };
    fs.writeFileSync(out, JSON.stringify(manifest, null, 2) + "\n");
  ' "$DIST/assets/manifest.json" "$OUT/assets/manifest.json"
fi

# --- Licence ---------------------------------------------------------------
# The npm package does not ship its LICENSE file, so fall back to our copy of
# the upstream MIT licence text.
lic=""
for f in "$PKG/LICENSE" "$PKG/LICENSE.txt" "$PKG/LICENSE.md" "$PKG/LICENCE" "$PKG/LICENCE.txt"; do
  if [ -f "$f" ]; then lic=$f; break; fi
done
cp "${lic:-licenses/govuk-frontend-LICENSE.txt}" "$OUT/LICENSE.txt"

# --- Checks ----------------------------------------------------------------
fail=0
if grep -qi "GDS Transport" "$OUT/peisc.css"; then
  echo "build.sh: ERROR: peisc.css mentions GDS Transport" >&2; fail=1
fi
if grep -qi "woff" "$OUT/peisc.css"; then
  echo "build.sh: ERROR: peisc.css references web fonts (woff)" >&2; fail=1
fi
if ! grep -qi "arial" "$OUT/peisc.css"; then
  echo "build.sh: ERROR: peisc.css does not use arial" >&2; fail=1
fi
if [ -n "$(find "$OUT" -type d -name fonts)" ] \
  || [ -n "$(find "$OUT" -type f \( -iname '*crest*' -o -iname '*crown*' -o -iname '*logotype*' -o -iname 'govuk-icon*' -o -iname 'favicon*' -o -iname '*.woff*' \))" ]; then
  echo "build.sh: ERROR: GOV.UK-only asset found in $OUT" >&2; fail=1
fi
[ "$fail" -eq 0 ] || exit 1

echo "build.sh: built $(cd "$OUT" && pwd)"
find "$OUT" -type f | sort
