// Starts GOV.UK Frontend components, and starts them again inside any content that htmx swaps in.
import { initAll } from "./govuk-frontend.min.js";

initAll();

document.body.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail && event.detail.elt;
  if (target instanceof HTMLElement && target.isConnected) {
    initAll({ scope: target });
  }
});
