// Loaded first in <body>: GOV.UK Frontend styles its components for JavaScript only when these classes are present.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
