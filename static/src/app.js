// Starts GOV.UK Frontend components, and starts them again inside any content that htmx swaps in.
import { initAll } from "./govuk-frontend.min.js";

initAll();

document.body.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail && event.detail.elt;
  if (target instanceof HTMLElement && target.isConnected) {
    initAll({ scope: target });
  }
});

// The idle time-out (GOV.UK's timeout warning pattern). Requests the page makes by itself (dashboards
// refreshing) carry X-TeamOps-Background and do not count as activity on the server; typing in a form does,
// through a heartbeat sent at most every few minutes. Two minutes before the time-out a dialog offers
// "Stay signed in". Without JavaScript none of this runs: the session ends, and a form sent afterwards is kept.
const session = document.body.dataset;
const idleSeconds = Number(session.idleSeconds || 0);
const WARN_SECONDS = 120;
const HEARTBEAT_EVERY_MS = 5 * 60 * 1000;
const dialog = document.getElementById("session-timeout");

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch {
    return "";
  }
}

if (idleSeconds > 0 && dialog instanceof HTMLDialogElement) {
  let timer = 0;
  let countdown = 0;
  let lastBeat = Date.now();
  const countdownText = dialog.querySelector("[data-countdown]");

  const schedule = (secondsLeft) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(0, secondsLeft - WARN_SECONDS) * 1000);
  };

  const signedOut = () => {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`${session.signInUrl}?next=${encodeURIComponent(next)}`);
  };

  const say = (seconds) => {
    const minutes = Math.ceil(seconds / 60);
    const when = seconds > 60 ? `${minutes} minutes` : `${Math.max(seconds, 0)} seconds`;
    if (countdownText) countdownText.textContent = `You will be signed out in ${when}.`;
  };

  const warn = (secondsLeft) => {
    let left = secondsLeft;
    say(left);
    if (!dialog.open) dialog.showModal();
    window.clearInterval(countdown);
    countdown = window.setInterval(() => {
      left -= 1;
      if (left <= 0) {
        window.clearInterval(countdown);
        signedOut();
      } else if (left % 15 === 0 || left <= 10) {
        say(left);
      }
    }, 1000);
  };

  // Asked in the background: another tab may have kept the session alive meanwhile.
  async function check() {
    try {
      const response = await fetch(session.statusUrl, {
        headers: { "X-TeamOps-Background": "true", Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (!response.ok) return signedOut();
      const { seconds_left: secondsLeft } = await response.json();
      if (secondsLeft <= 0) return signedOut();
      if (secondsLeft > WARN_SECONDS + 5) return schedule(secondsLeft);
      warn(secondsLeft);
    } catch {
      schedule(WARN_SECONDS + 60);
    }
  }

  async function heartbeat() {
    lastBeat = Date.now();
    const response = await fetch(session.heartbeatUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (response.status === 204) schedule(idleSeconds);
    return response.status === 204;
  }

  dialog.querySelector("[data-stay-signed-in]")?.addEventListener("click", async () => {
    window.clearInterval(countdown);
    if (await heartbeat()) dialog.close();
    else signedOut();
  });
  // Escape closes the warning without keeping the session: look again when it would have ended.
  dialog.addEventListener("cancel", () => {
    window.clearInterval(countdown);
    window.clearTimeout(timer);
    timer = window.setTimeout(check, WARN_SECONDS * 1000);
  });

  document.addEventListener("input", (event) => {
    const inForm = event.target instanceof Element && event.target.closest("form");
    if (inForm && !dialog.open && Date.now() - lastBeat > HEARTBEAT_EVERY_MS) heartbeat();
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const headers = (event.detail && event.detail.requestConfig && event.detail.requestConfig.headers) || {};
    if (headers["X-TeamOps-Background"] !== "true") schedule(idleSeconds);
  });

  schedule(idleSeconds);
}

// "Copy the text" beside a read-only text (the copy for the case file). Without JavaScript the button stays
// hidden and the text is selected and copied by hand, as the page says; with it, one press copies and a
// polite status says so.
for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  const status = document.getElementById(`${button.dataset.copy}-status`);
  if (!(source instanceof HTMLTextAreaElement) || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      if (status) status.textContent = "Copied. Paste it into the case-recording system.";
    } catch {
      source.select();
      if (status) status.textContent = "Could not copy: the text is selected, copy it with Ctrl+C.";
    }
  });
}
