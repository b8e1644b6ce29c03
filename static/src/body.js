// Runs first thing in <body>: marks the page as JavaScript-enabled for GOV.UK Frontend's styles.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
