// Progressive enhancement only: every page works without this file.
import { initAll } from "../lib/govuk/govuk-frontend.min.js";

initAll();
